// Rwkv7Model: the parallel form (kernels::wkv7) against the recurrent step form (torch ops,
// token by token), chunked calls with state passing against one call (values and gradients),
// causality, state and parameter accounting, input validation.
#include "model/rwkv7_model.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rwkv7_test_util.h"

namespace statetrack::model {
namespace {

using testing::perturbed_model;
using testing::random_tokens;
using testing::relative_error;
using testing::tiny_config;

constexpr double kFloat64Tolerance = 1e-11;

TEST(Rwkv7Model, OutputShapesAndStateLayout) {
    Rwkv7Model model = perturbed_model(tiny_config(), torch::kFloat32);
    const Rwkv7Output out = model->forward(random_tokens(3, 5, 11, 1));
    EXPECT_EQ(out.logits.sizes(), torch::IntArrayRef({3, 5, 11}));
    ASSERT_EQ(out.state.layers.size(), 2u);
    EXPECT_EQ(out.state.layers[1].wkv.sizes(), torch::IntArrayRef({3, 2, 16, 16}));
    EXPECT_EQ(out.state.layers[1].wkv.scalar_type(), torch::kFloat32);
    EXPECT_EQ(out.state.layers[0].att_x_prev.sizes(), torch::IntArrayRef({3, 32}));
    EXPECT_EQ(out.state.layers[0].ffn_x_prev.sizes(), torch::IntArrayRef({3, 32}));
    EXPECT_TRUE(out.state.layers[1].wkv.requires_grad());  // the state carries autograd history
    EXPECT_FALSE(out.state.detached().layers[1].wkv.requires_grad());
    EXPECT_EQ(out.state.batch_size(), 3);
}

TEST(Rwkv7Model, StateSizeAndParameterCountFromTheTensors) {
    const Rwkv7Config c = tiny_config(3);  // C = 32, H = 2, N = 16, LoRA 8/12/4/16, V = 11
    Rwkv7Model model(c);
    // Per layer H·N² + 2·C floats.
    EXPECT_EQ(model->initial_state(4).numel_per_sequence(), 3 * (2 * 16 * 16 + 2 * 32));
    const int64_t C = 32;
    const int64_t att = 6 * C                 // x_r .. x_g
                        + C + 2 * C * 8       // w0, w1, w2
                        + C + 2 * C * 12      // a0, a1, a2
                        + C + 2 * C * 4       // v0, v1, v2
                        + 2 * C * 16          // g1, g2
                        + 3 * C               // k_k, k_a, r_k
                        + 4 * C * C + 2 * C;  // r, k, v, o; ln_x
    const int64_t ffn = C + 2 * 4 * C * C;
    const int64_t per_layer = att + ffn + 4 * C;                          // + ln1, ln2
    const int64_t expected = 11 * C * 2 + 2 * C + 2 * C + 3 * per_layer;  // emb, head, ln_out, ln0
    EXPECT_EQ(model->parameter_count(), expected);
}

// Runs tokens (B,T) one step at a time from the start state; logits stacked to (B,T,V).
Rwkv7Output run_step_by_step(Rwkv7Model& model, const torch::Tensor& tokens) {
    Rwkv7State state = model->initial_state(tokens.size(0));
    std::vector<torch::Tensor> logits;
    for (int64_t t = 0; t < tokens.size(1); ++t) {
        Rwkv7Output out = model->step(tokens.select(1, t), state);
        logits.push_back(out.logits);
        state = std::move(out.state);
    }
    return {torch::stack(logits, 1), std::move(state)};
}

// The core equivalence: one parallel call == T recurrent steps, logits and final state.
TEST(Rwkv7Model, ParallelEqualsStepModeInFloat64) {
    Rwkv7Model model = perturbed_model(tiny_config(), torch::kFloat64);
    const torch::Tensor tokens = random_tokens(2, 21, 11, 2);  // T not a multiple of 16
    torch::NoGradGuard no_grad;
    const Rwkv7Output full = model->forward(tokens);
    const Rwkv7Output stepped = run_step_by_step(model, tokens);
    EXPECT_LT(relative_error(stepped.logits, full.logits), kFloat64Tolerance);
    const auto& layers = stepped.state.layers;
    for (size_t l = 0; l < layers.size(); ++l) {
        EXPECT_LT(relative_error(layers[l].wkv, full.state.layers[l].wkv), kFloat64Tolerance);
        EXPECT_LT(relative_error(layers[l].ffn_x_prev, full.state.layers[l].ffn_x_prev),
                  kFloat64Tolerance);
    }
    // The outputs are not degenerate: the blocks change the logits (perturbed model).
    EXPECT_GT(full.logits.std().item<double>(), 1e-2);
}

TEST(Rwkv7Model, ParallelEqualsStepModeInFloat32) {
    // fp32 error budget: a few hundred roundings of ~6e-8 on O(1) values -> 1e-4 is generous,
    // while a wrong recurrence is off by O(1).
    Rwkv7Model model = perturbed_model(tiny_config(), torch::kFloat32);
    const torch::Tensor tokens = random_tokens(2, 17, 11, 3);
    torch::NoGradGuard no_grad;
    const Rwkv7Output full = model->forward(tokens);
    const Rwkv7Output stepped = run_step_by_step(model, tokens);
    EXPECT_LT(relative_error(stepped.logits, full.logits), 1e-4);
}

// A bfloat16 model runs the WKV recurrence in a float32 state (the op has no bf16 path) and
// tracks the float32 model to bf16 precision (8 mantissa bits: ~1e-2 after a few layers).
TEST(Rwkv7Model, Bfloat16ModelKeepsAFloat32StateAndTracksFloat32) {
    Rwkv7Model model = perturbed_model(tiny_config(), torch::kFloat32);
    const torch::Tensor tokens = random_tokens(2, 9, 11, 9);
    torch::NoGradGuard no_grad;
    const Rwkv7Output reference = model->forward(tokens);
    model->to(torch::kBFloat16);
    const Rwkv7Output out = model->forward(tokens);
    EXPECT_EQ(out.logits.scalar_type(), torch::kBFloat16);
    EXPECT_EQ(out.state.layers[0].wkv.scalar_type(), torch::kFloat32);
    EXPECT_EQ(out.state.layers[0].att_x_prev.scalar_type(), torch::kBFloat16);
    EXPECT_LT(relative_error(out.logits.to(torch::kFloat32), reference.logits), 0.1);
    const Rwkv7Output stepped = model->step(tokens.select(1, 0), model->initial_state(2));
    EXPECT_LT(relative_error(stepped.logits.to(torch::kFloat32), reference.logits.select(1, 0)),
              0.1);
}

TEST(Rwkv7Model, ChunkedWithStatePassingEqualsFullCall) {
    Rwkv7Model model = perturbed_model(tiny_config(), torch::kFloat64);
    const torch::Tensor tokens = random_tokens(2, 40, 11, 4);
    torch::NoGradGuard no_grad;
    const Rwkv7Output full = model->forward(tokens);
    const std::vector<int64_t> cuts = {0, 1, 7, 23, 24, 40};  // chunks of 1, 6, 16, 1, 16
    c10::optional<Rwkv7State> state;
    std::vector<torch::Tensor> logits;
    for (size_t i = 0; i + 1 < cuts.size(); ++i) {
        Rwkv7Output out = model->forward(tokens.slice(1, cuts[i], cuts[i + 1]), state);
        logits.push_back(out.logits);
        state = std::move(out.state);
    }
    EXPECT_LT(relative_error(torch::cat(logits, 1), full.logits), kFloat64Tolerance);
    EXPECT_LT(relative_error(state->layers[1].wkv, full.state.layers[1].wkv), kFloat64Tolerance);
}

// Gradients flow through the passed state (state0 and state_final of the op): the gradient of
// a loss over two chunks equals the one-call gradient, for every parameter.
TEST(Rwkv7Model, ChunkedBackwardThroughStateEqualsFullBackward) {
    Rwkv7Model model = perturbed_model(tiny_config(), torch::kFloat64);
    const torch::Tensor tokens = random_tokens(2, 19, 11, 5);
    automata::Rng rng(6);
    const torch::Tensor weights = testing::uniform_tensor({2, 19, 11}, 1.0, rng);
    const auto gradients = [&](bool chunked) {
        model->zero_grad();
        torch::Tensor logits;
        if (chunked) {
            Rwkv7Output first = model->forward(tokens.slice(1, 0, 9));
            Rwkv7Output second = model->forward(tokens.slice(1, 9, 19), first.state);
            logits = torch::cat({first.logits, second.logits}, 1);
        } else {
            logits = model->forward(tokens).logits;
        }
        (logits * weights).sum().backward();
        std::vector<torch::Tensor> grads;
        for (const torch::Tensor& p : model->parameters()) {
            grads.push_back(p.grad().defined() ? p.grad().clone() : torch::zeros_like(p));
        }
        return grads;
    };
    const std::vector<torch::Tensor> full = gradients(false);
    const std::vector<torch::Tensor> chunked = gradients(true);
    const auto names = model->named_parameters().keys();
    for (size_t i = 0; i < full.size(); ++i) {
        EXPECT_LT(relative_error(chunked[i], full[i]), 1e-10) << names[i];
    }
    // Layer 0's v0/v1/v2 are unused by design (value residual starts at layer 1).
    EXPECT_FALSE(model->named_parameters()["blocks.0.att.v1"].grad().defined());
    EXPECT_GT(model->named_parameters()["blocks.1.att.v1"].grad().abs().max().item<double>(), 0.0);
}

TEST(Rwkv7Model, CausalityLaterTokensDoNotChangeEarlierOutputs) {
    Rwkv7Model model = perturbed_model(tiny_config(), torch::kFloat64);
    torch::NoGradGuard no_grad;
    const torch::Tensor tokens = random_tokens(1, 20, 11, 7);
    const torch::Tensor base = model->forward(tokens).logits;
    for (const int64_t t : {0, 5, 15, 18}) {
        torch::Tensor changed = tokens.clone();
        changed[0][t + 1] = (changed[0][t + 1].item<int64_t>() + 1) % 11;
        const torch::Tensor logits = model->forward(changed).logits;
        EXPECT_LT(relative_error(logits.slice(1, 0, t + 1), base.slice(1, 0, t + 1)), 1e-13) << t;
        // ...while the changed position itself does move.
        EXPECT_GT((logits[0][t + 1] - base[0][t + 1]).abs().max().item<double>(), 1e-6) << t;
    }
}

TEST(Rwkv7Model, RejectsBadTokensAndStates) {
    Rwkv7Model model = perturbed_model(tiny_config(), torch::kFloat32);
    const auto message = [](const auto& f) {
        try {
            f();
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("<no invalid_argument>");
    };
    EXPECT_NE(message([&] {
                  model->forward(torch::full({1, 3}, 11, torch::kLong));
              }).find("token 11 is outside the vocabulary [0, 11)"),
              std::string::npos);
    EXPECT_NE(message([&] {
                  model->forward(torch::zeros({1, 3}, torch::kInt));
              }).find("int64"),
              std::string::npos);
    EXPECT_NE(message([&] {
                  model->step(torch::zeros({2}, torch::kLong), model->initial_state(3));
              }).find("layers[0].att_x_prev must be [2, 32]"),
              std::string::npos);
    Rwkv7State short_state = model->initial_state(1);
    short_state.layers.pop_back();
    EXPECT_NE(message([&] {
                  model->forward(torch::zeros({1, 2}, torch::kLong), short_state);
              }).find("has 1 layers, the model has 2"),
              std::string::npos);
}

}  // namespace
}  // namespace statetrack::model
