// Shared helpers for the RWKV-7 model tests: tiny configs, deterministic random inputs and
// parameter perturbations (automata/random.h), scratch paths.
#pragma once

#include <torch/torch.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "automata/random.h"
#include "model/rwkv7_config.h"
#include "model/rwkv7_init.h"
#include "model/rwkv7_model.h"
#include "testing/model_inputs.h"
#include "testing/scratch_dir.h"

namespace statetrack::model::testing {

// V=11, C=32, two heads of 16, small LoRA widths: milliseconds per forward.
inline Rwkv7Config tiny_config(int64_t n_layers = 2) {
    Rwkv7Config c;
    c.vocab_size = 11;
    c.n_layers = n_layers;
    c.d_model = 32;
    c.head_size = 16;
    c.dim_w = 8;
    c.dim_a = 12;
    c.dim_v = 4;
    c.dim_g = 16;
    return resolve_rwkv7_config(c);
}

// Uniform values in [-scale, scale] of the given shape, float64.
inline torch::Tensor uniform_tensor(torch::IntArrayRef shape, double scale, automata::Rng& rng) {
    torch::Tensor t = torch::empty(shape, torch::kFloat64);
    double* data = t.data_ptr<double>();
    for (int64_t i = 0; i < t.numel(); ++i) {
        data[i] = scale * (2.0 * automata::uniform_unit(rng) - 1.0);
    }
    return t;
}

// The reference init zeroes the output projections (blocks start as the identity); adding
// noise to every parameter makes every path of the model matter to the outputs.
inline void perturb_parameters(torch::nn::Module& model, double scale, uint64_t seed) {
    torch::NoGradGuard no_grad;
    automata::Rng rng(seed);
    for (torch::Tensor& p : model.parameters()) {
        p.add_(uniform_tensor(p.sizes(), scale, rng).to(p.scalar_type()));
    }
}

// A perturbed float64 model: the precision where parallel, chunked and step modes must agree
// to ~1e-12.
inline Rwkv7Model perturbed_model(const Rwkv7Config& config, torch::ScalarType dtype,
                                  uint64_t seed = 7) {
    Rwkv7Model model = make_rwkv7_model(config, seed);
    model->to(dtype);
    perturb_parameters(*model, 0.3, seed + 1);
    return model;
}

using statetrack::testing::random_tokens;
using statetrack::testing::relative_error;

using statetrack::testing::ScratchDir;

}  // namespace statetrack::model::testing
