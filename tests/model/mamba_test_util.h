// Shared by the Mamba model tests: tiny configs, deterministic random tokens, the step-mode
// driver.
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
using statetrack::testing::step_by_step;

}  // namespace statetrack::model::testing
