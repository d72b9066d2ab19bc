// Shared helpers for the Transformer tests: tiny configs for every positional encoding,
// perturbed float64 models, deterministic tokens, the step-by-step driver.
#pragma once

#include <ATen/CPUGeneratorImpl.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model/transformer_config.h"
#include "model/transformer_init.h"
#include "model/transformer_model.h"
#include "testing/model_inputs.h"

namespace statetrack::model::transformer_testing {

inline const std::vector<PositionalEncoding>& all_encodings() {
    static const std::vector<PositionalEncoding> encodings = {
        PositionalEncoding::kNone, PositionalEncoding::kSinusoidal, PositionalEncoding::kLearned,
        PositionalEncoding::kRope, PositionalEncoding::kAlibi};
    return encodings;
}

// V=11, C=32, four heads of 8, d_ff 48, 2 layers: milliseconds per forward.
inline TransformerConfig tiny_config(PositionalEncoding positional, bool causal = true) {
    TransformerConfig c;
    c.vocab_size = 11;
    c.n_layers = 2;
    c.d_model = 32;
    c.n_heads = 4;
    c.d_ff = 48;
    c.positional = positional;
    c.causal = causal;
    c.max_seq_len = 64;
    return resolve_transformer_config(c);
}

// The GPT-2 init gives near-uniform attention (weights ~0.02); adding U(-scale, scale) to every
// parameter makes attention sharp and every path matter to the outputs.
inline TransformerModel perturbed_model(const TransformerConfig& config,
                                        torch::ScalarType dtype = torch::kFloat64,
                                        uint64_t seed = 7, double scale = 0.3) {
    TransformerModel model = make_transformer_model(config, seed);
    model->to(dtype);
    torch::NoGradGuard no_grad;
    at::Generator generator = at::detail::createCPUGenerator(seed + 1);
    for (torch::Tensor& p : model->parameters()) {
        const torch::Tensor u = torch::rand(p.sizes(), generator, torch::kFloat64);
        p.add_(((2.0 * u - 1.0) * scale).to(dtype));
    }
    return model;
}

using statetrack::testing::random_tokens;
using statetrack::testing::relative_error;
using statetrack::testing::step_by_step;

inline std::string encoding_test_name(const ::testing::TestParamInfo<PositionalEncoding>& info) {
    return positional_encoding_name(info.param);
}

}  // namespace statetrack::model::transformer_testing
