// Shared by the Mamba model tests: tiny configs and deterministic random tokens.
#pragma once

#include <torch/torch.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "model/mamba_config.h"
#include "model/mamba_model.h"
#include "testing/model_inputs.h"

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

using statetrack::testing::random_tokens;
using statetrack::testing::relative_error;

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
