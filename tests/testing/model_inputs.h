// What the model tests of every family share: seeded random token batches, the relative error
// they compare logits with, and the step-mode driver. Shapes: tokens (B, T) int64 in [0, vocab),
// logits (B, T, V).
#pragma once

#include <torch/torch.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "automata/random.h"
#include "model/sequence_model.h"

namespace statetrack::testing {

inline torch::Tensor random_tokens(int64_t B, int64_t T, int64_t vocab, uint64_t seed) {
    automata::Rng rng(seed);
    std::vector<int64_t> data(static_cast<size_t>(B * T));
    for (int64_t& x : data) {
        x = static_cast<int64_t>(automata::uniform_below(rng, static_cast<uint64_t>(vocab)));
    }
    return torch::tensor(data, torch::kLong).view({B, T});
}

// max |a - b| / max(1, max |b|).
inline double relative_error(const torch::Tensor& a, const torch::Tensor& b) {
    const double scale = std::max(1.0, b.abs().max().item<double>());
    return (a - b).abs().max().item<double>() / scale;
}

// Feeds tokens (B, T) one step at a time from start_state; logits stacked to (B, T, V). The
// state after the last token goes to *final_state when given.
inline torch::Tensor step_by_step(model::SequenceModel& model, const torch::Tensor& tokens,
                                  std::unique_ptr<model::StepState>* final_state = nullptr) {
    std::unique_ptr<model::StepState> state = model.start_state(tokens.size(0));
    std::vector<torch::Tensor> logits;
    for (int64_t t = 0; t < tokens.size(1); ++t) {
        logits.push_back(model.step_logits(tokens.select(1, t).contiguous(), *state));
    }
    if (final_state != nullptr) {
        *final_state = std::move(state);
    }
    return torch::stack(logits, 1);
}

}  // namespace statetrack::testing
