// What the model tests of every family share: seeded random token batches and the relative
// error they compare logits with. Shapes: tokens (B, T) int64 in [0, vocab).
#pragma once

#include <torch/torch.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "automata/random.h"

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

}  // namespace statetrack::testing
