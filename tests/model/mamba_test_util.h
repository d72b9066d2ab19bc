// Shared by the Mamba model tests: tiny configs and deterministic random tokens.
#pragma once

#include <torch/torch.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "automata/random.h"
#include "model/mamba_config.h"
#include "model/mamba_model.h"

namespace statetrack::model::testing {

// V = 7, C = 16 (E = 32), S = 4, d_conv = 3, dt_rank 1: milliseconds per forward.
inline MambaConfig tiny_mamba_config(bool negative_eigenvalues = false, int64_t n_layers = 2) {
    MambaConfig c;
    c.vocab_size = 7;
    c.n_layers = n_layers;
    c.d_model = 16;
    c.d_state = 4;
    c.expand = 2;
    c.d_conv = 3;
    c.negative_eigenvalues = negative_eigenvalues;
    return resolve_mamba_config(c);
}

inline torch::Tensor mamba_random_tokens(int64_t B, int64_t T, int64_t vocab, uint64_t seed) {
    automata::Rng rng(seed);
    std::vector<int64_t> data(static_cast<size_t>(B * T));
    for (int64_t& x : data) {
        x = static_cast<int64_t>(automata::uniform_below(rng, static_cast<uint64_t>(vocab)));
    }
    return torch::tensor(data, torch::kLong).view({B, T});
}

// max |a − b| / max(1, max |b|).
inline double mamba_relative_error(const torch::Tensor& a, const torch::Tensor& b) {
    const double scale = std::max(1.0, b.abs().max().item<double>());
    return (a - b).abs().max().item<double>() / scale;
}

// Runs tokens (B, T) one step at a time from the start state; logits stacked to (B, T, V).
inline torch::Tensor mamba_step_by_step(MambaModelImpl& model, const torch::Tensor& tokens) {
    auto state = model.start_state(tokens.size(0));
    std::vector<torch::Tensor> logits;
    for (int64_t t = 0; t < tokens.size(1); ++t) {
        logits.push_back(model.step_logits(tokens.select(1, t), *state));
    }
    return torch::stack(logits, 1);
}

}  // namespace statetrack::model::testing
