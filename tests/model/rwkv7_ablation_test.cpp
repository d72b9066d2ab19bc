// The RWKV-7 ablation switches (rwkv7_config.h) provably change the computation they name, and
// nothing else: diagonal-only keeps the key channels of the state from mixing; the extended
// in-context learning rate pushes the transition's eigenvalues below −0.455; switching off the
// value residual / bonus makes the outputs independent of v0,v1,v2 / r_k; without the decay
// clamp decays leave (0.545, 1).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>

#include "model/rwkv7_test_util.h"
#include "model/rwkv7_time_mix.h"

namespace statetrack::model {
namespace {

using testing::perturbed_model;
using testing::random_tokens;
using testing::tiny_config;

Rwkv7TimeMixImpl& time_mix(Rwkv7ModelImpl& model, int64_t layer) {
    return *model.named_modules()[fmt::format("blocks.{}.att", layer)]->as<Rwkv7TimeMixImpl>();
}

// Layer 0's WKV inputs for one sequence of tokens (1, T): the embedded tokens through its time
// mix, from a zero previous token.
Rwkv7WkvInputs first_layer_wkv_inputs(Rwkv7ModelImpl& model, const torch::Tensor& tokens) {
    torch::Tensor v_first;
    const torch::Tensor x =
        model.named_modules()["emb"]->as<torch::nn::EmbeddingImpl>()->forward(tokens);
    return time_mix(model, 0).wkv_inputs(
        x, v_first, torch::zeros({1, model.config().d_model}, torch::kFloat64));
}

torch::Tensor& parameter(Rwkv7ModelImpl& model, const std::string& name) {
    return model.named_parameters()[name];
}

// A perturbed float64 one-layer tiny model with the ablation switch `flag` set to `on`.
Rwkv7Model one_layer_model(bool Rwkv7Config::*flag, bool on) {
    Rwkv7Config c = tiny_config(1);
    c.*flag = on;
    return perturbed_model(c, torch::kFloat64);
}

// Final WKV state of layer 0 after `tokens`, from a random initial state whose key column j
// (S[:, j] of every head) is shifted by `shift`.
torch::Tensor final_wkv_after_column_shift(Rwkv7ModelImpl& model, const torch::Tensor& tokens,
                                           int64_t j, double shift) {
    Rwkv7State state = model.initial_state(tokens.size(0));
    automata::Rng rng(5);
    torch::Tensor& wkv = state.layers[0].wkv;
    wkv.copy_(testing::uniform_tensor(wkv.sizes(), 1.0, rng));
    wkv.select(-1, j).add_(shift);
    return model.forward(tokens, state).state.layers[0].wkv;
}

TEST(Rwkv7Ablation, DiagonalTransitionKeepsKeyChannelsOfTheStateApart) {
    for (const bool diagonal : {true, false}) {
        Rwkv7Model model = one_layer_model(&Rwkv7Config::diagonal_transition, diagonal);
        const Rwkv7Config& c = model->config();
        torch::NoGradGuard no_grad;
        const torch::Tensor tokens = random_tokens(2, 9, c.vocab_size, 3);
        const int64_t j = 5;
        const torch::Tensor base = final_wkv_after_column_shift(*model, tokens, j, 0.0);
        const torch::Tensor shifted = final_wkv_after_column_shift(*model, tokens, j, 1.0);
        const torch::Tensor diff = (base - shifted).abs();
        const double other_columns =
            torch::cat({diff.narrow(-1, 0, j), diff.narrow(-1, j + 1, c.head_size - j - 1)}, -1)
                .max()
                .item<double>();
        EXPECT_GT(diff.select(-1, j).max().item<double>(), 1e-6);
        if (diagonal) {
            EXPECT_EQ(other_columns, 0.0) << "S·diag(w) + v kᵀ never mixes key channels";
        } else {
            EXPECT_GT(other_columns, 1e-6) << "the delta-rule term (S a) bᵀ mixes them";
        }
    }
}

// Smallest real part of an eigenvalue of G = diag(w) + a bᵀ, a = −κ̂, b = κ̂ ⊙ iclr, over the
// heads and positions of layer 0 with the in-context learning rate driven to its upper end.
double min_transition_eigenvalue(bool extended) {
    Rwkv7Model model = one_layer_model(&Rwkv7Config::extended_eigenvalues, extended);
    const Rwkv7Config& c = model->config();
    torch::NoGradGuard no_grad;
    parameter(*model, "blocks.0.att.a0").fill_(12.0);  // sigmoid ≈ 1: a at the top of its range
    const torch::Tensor tokens = random_tokens(1, 6, c.vocab_size, 4);
    const Rwkv7WkvInputs in = first_layer_wkv_inputs(*model, tokens);
    const int64_t H = c.n_heads(), N = c.head_size;
    const auto heads = [&](const torch::Tensor& t) { return t.view({1, 6, H, N}); };
    const torch::Tensor G =
        torch::diag_embed(heads(in.decay)) + heads(in.a).unsqueeze(-1) * heads(in.b).unsqueeze(-2);
    return torch::real(torch::linalg_eigvals(G)).min().item<double>();
}

TEST(Rwkv7Ablation, ExtendedLearningRateReachesNegativeEigenvalues) {
    // Reference range: eigenvalues ≥ min(w) − max(a) > 0.545 − 1; extended: the Rayleigh
    // quotient at κ̂ is ≤ max(w) − 2 + ε, so some eigenvalue lies below −0.9.
    EXPECT_GT(min_transition_eigenvalue(false), -0.4553);
    EXPECT_LT(min_transition_eigenvalue(true), -0.9);
}

// Whether the logits move when `name` (a parameter of the model) is perturbed.
bool logits_depend_on(const Rwkv7Config& c, const std::string& name) {
    Rwkv7Model model = perturbed_model(c, torch::kFloat64);
    torch::NoGradGuard no_grad;
    const torch::Tensor tokens = random_tokens(2, 7, c.vocab_size, 8);
    const torch::Tensor before = model->logits(tokens);
    parameter(*model, name).add_(0.5);
    return !torch::allclose(before, model->logits(tokens), 0.0, 1e-12);
}

TEST(Rwkv7Ablation, ValueResidualAndBonusSwitchesRemoveTheirParameters) {
    Rwkv7Config c = tiny_config(2);
    for (const char* name : {"blocks.1.att.v0", "blocks.1.att.v2"}) {
        EXPECT_TRUE(logits_depend_on(c, name)) << name;
    }
    EXPECT_TRUE(logits_depend_on(c, "blocks.0.att.r_k"));
    c.value_residual = false;
    for (const char* name : {"blocks.1.att.v0", "blocks.1.att.v2"}) {
        EXPECT_FALSE(logits_depend_on(c, name)) << name;
    }
    EXPECT_TRUE(logits_depend_on(c, "blocks.0.att.r_k"));
    c.bonus = false;
    EXPECT_FALSE(logits_depend_on(c, "blocks.0.att.r_k"));
    EXPECT_FALSE(logits_depend_on(c, "blocks.1.att.r_k"));
}

TEST(Rwkv7Ablation, DecayClampBoundsTheDecay) {
    for (const bool clamp : {true, false}) {
        Rwkv7Model model = one_layer_model(&Rwkv7Config::decay_clamp, clamp);
        const Rwkv7Config& c = model->config();
        torch::NoGradGuard no_grad;
        torch::Tensor& w0 = parameter(*model, "blocks.0.att.w0");
        w0.copy_(torch::linspace(-20.0, 20.0, c.d_model, torch::kFloat64).view_as(w0));
        const torch::Tensor tokens = random_tokens(1, 5, c.vocab_size, 2);
        const torch::Tensor decay = first_layer_wkv_inputs(*model, tokens).decay;
        if (clamp) {
            EXPECT_GT(decay.min().item<double>(), 0.5452);
        } else {
            EXPECT_LT(decay.min().item<double>(), 1e-6);
        }
        EXPECT_LT(decay.max().item<double>(), 1.0);
    }
}

}  // namespace
}  // namespace statetrack::model
