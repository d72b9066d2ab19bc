// MambaModel: the parallel form (the selective-scan op) against the step form (torch ops),
// causality, the state and parameter counts from the architecture's formulas, the eigenvalue
// switch, the initialisation's determinism and the argument checks of step mode.
#include "model/mamba_model.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <string>

#include "model/mamba_config.h"
#include "tests/model/mamba_test_util.h"

namespace statetrack::model {
namespace {

using testing::random_tokens;
using testing::relative_error;
using testing::tiny_mamba_config;

// float64 agreement between two orders of the same arithmetic.
constexpr double kFloat64Tolerance = 1e-11;

TEST(MambaModel, StepModeEqualsParallelLogitsInBothEigenvalueModes) {
    for (bool negative : {false, true}) {
        SCOPED_TRACE(negative ? "negative eigenvalues" : "positive eigenvalues");
        MambaModel model = make_mamba_model(tiny_mamba_config(negative), 3);
        model->to(torch::kFloat64);
        const torch::Tensor tokens = random_tokens(3, 21, 7, 11);
        torch::NoGradGuard no_grad;
        const torch::Tensor full = model->logits(tokens);
        const torch::Tensor stepped = testing::step_by_step(*model, tokens);
        EXPECT_EQ(full.sizes(), torch::IntArrayRef({3, 21, 7}));
        EXPECT_LT(relative_error(stepped, full), kFloat64Tolerance);
        EXPECT_GT(full.std().item<double>(), 1e-3) << "the logits must not be trivial";
    }
}

TEST(MambaModel, StepModeMatchesInFloat32AndWithTheDefaultConvWidth) {
    MambaConfig c = tiny_mamba_config(true);
    c.d_conv = 4;
    c.d_state = 16;
    MambaModel model = make_mamba_model(c, 5);
    const torch::Tensor tokens = random_tokens(2, 12, 7, 12);
    torch::NoGradGuard no_grad;
    EXPECT_LT(relative_error(testing::step_by_step(*model, tokens), model->logits(tokens)), 1e-5);
}

TEST(MambaModel, ChangingALaterTokenLeavesEarlierLogitsUnchanged) {
    MambaModel model = make_mamba_model(tiny_mamba_config(true), 4);
    model->to(torch::kFloat64);
    torch::NoGradGuard no_grad;
    const torch::Tensor tokens = random_tokens(2, 16, 7, 13);
    const torch::Tensor before = model->logits(tokens);
    for (int64_t t : {0, 5, 14}) {
        torch::Tensor changed = tokens.clone();
        changed.select(1, t + 1).copy_((tokens.select(1, t + 1) + 1) % 7);  // another token
        const torch::Tensor after = model->logits(changed);
        EXPECT_LT(relative_error(after.narrow(1, 0, t + 1), before.narrow(1, 0, t + 1)), 1e-14)
            << "t = " << t;
        EXPECT_GT((after.select(1, t + 1) - before.select(1, t + 1)).abs().max().item<double>(),
                  1e-6)
            << "the changed token must change its own logits";
    }
}

TEST(MambaModel, StateSizeIsCountedFromTheStateTensors) {
    const MambaConfig c = tiny_mamba_config();
    MambaModel model = make_mamba_model(c, 1);
    const auto state = model->start_state(3);
    const auto& layers = dynamic_cast<const MambaStepState&>(*state).state.layers;
    ASSERT_EQ(static_cast<int64_t>(layers.size()), c.n_layers);
    int64_t per_sequence = 0;
    for (const MambaLayerState& layer : layers) {
        EXPECT_EQ(layer.conv.sizes(), torch::IntArrayRef({3, c.d_inner(), c.d_conv - 1}));
        EXPECT_EQ(layer.ssm.sizes(), torch::IntArrayRef({3, c.d_inner(), c.d_state}));
        per_sequence += (layer.conv.numel() + layer.ssm.numel()) / 3;
    }
    // L·E·(K − 1 + S) = 2·32·(2 + 4).
    EXPECT_EQ(per_sequence, 384);
    EXPECT_EQ(state->numel_per_sequence(), 384);
    EXPECT_EQ(model->state_size(1), 384);
    EXPECT_EQ(model->state_size(1000), 384);
    EXPECT_TRUE(model->has_step_mode());
    EXPECT_TRUE(model->is_causal());
}

TEST(MambaModel, ParameterCountMatchesTheArchitecture) {
    const MambaConfig c = tiny_mamba_config();
    const int64_t V = c.vocab_size, C = c.d_model, E = c.d_inner(), S = c.d_state;
    const int64_t R = c.dt_rank, K = c.d_conv;
    const int64_t per_layer = C                  // norm
                              + C * 2 * E        // in_proj
                              + E * K + E        // conv1d
                              + E * (R + 2 * S)  // x_proj
                              + R * E + E        // dt_proj
                              + E * S + E        // A_log, D
                              + E * C;           // out_proj
    EXPECT_EQ(make_mamba_model(c, 0)->parameter_count(),
              V * C + c.n_layers * per_layer + C + V * C);
}

// Without the switch every eigenvalue lies in (0, 1); with it, on the same weights, some are
// negative (delta·A < −ln 2 gives 2·exp(delta·A) − 1 < 0) and the logits change.
TEST(MambaModel, NegativeEigenvalueSwitchChangesTheTransitions) {
    MambaConfig c = tiny_mamba_config(false);
    c.d_state = 16;  // A reaches −16, so delta ~ 0.05 already gives delta·A < −ln 2
    MambaModel positive = make_mamba_model(c, 9);
    c.negative_eigenvalues = true;
    MambaModel negative = make_mamba_model(c, 9);
    torch::NoGradGuard no_grad;
    const torch::Tensor tokens = random_tokens(2, 10, 7, 14);
    const auto a_pos = positive->transitions(tokens);
    const auto a_neg = negative->transitions(tokens);
    ASSERT_EQ(a_pos.size(), 2u);
    for (size_t l = 0; l < a_pos.size(); ++l) {
        EXPECT_EQ(a_pos[l].sizes(), torch::IntArrayRef({2, 10, 32, 16}));
        EXPECT_GT(a_pos[l].min().item<double>(), 0.0) << "layer " << l;
        EXPECT_LE(a_pos[l].max().item<double>(), 1.0);
        EXPECT_LT(a_neg[l].min().item<double>(), -0.1) << "layer " << l;
        EXPECT_GT(a_neg[l].min().item<double>(), -1.0);
    }
    // Layer 0 sees the same input in both models: a_neg = 2·a_pos − 1 exactly there.
    EXPECT_TRUE(torch::allclose(a_neg[0], 2 * a_pos[0] - 1, 0.0, 1e-6));
    EXPECT_GT((positive->logits(tokens) - negative->logits(tokens)).abs().max().item<double>(),
              1e-3);
}

TEST(MambaModel, InitialisationIsDeterministicAndLeavesTheGlobalGeneratorAlone) {
    const MambaConfig c = tiny_mamba_config();
    torch::manual_seed(123);
    const torch::Tensor expected = torch::rand({4});
    torch::manual_seed(123);
    MambaModel a = make_mamba_model(c, 42);
    EXPECT_TRUE(torch::equal(torch::rand({4}), expected));
    MambaModel b = make_mamba_model(c, 42);
    MambaModel other = make_mamba_model(c, 43);
    const auto pa = a->named_parameters(), pb = b->named_parameters();
    const auto po = other->named_parameters();
    for (const auto& item : pa) {
        EXPECT_TRUE(torch::equal(item.value(), pb[item.key()])) << item.key();
    }
    EXPECT_FALSE(
        torch::equal(pa["layers.0.mixer.in_proj.weight"], po["layers.0.mixer.in_proj.weight"]));
    // Mamba's fixed values and ranges.
    const auto& p = pa;
    EXPECT_TRUE(torch::allclose(p["layers.1.mixer.A_log"][5],
                                torch::log(torch::arange(1, 5, torch::kFloat32))));
    EXPECT_TRUE(torch::equal(p["layers.0.mixer.D"], torch::ones({32})));
    const torch::Tensor delta0 = torch::softplus(p["layers.0.mixer.dt_proj.bias"]);
    EXPECT_GE(delta0.min().item<double>(), 1e-3 * (1 - 1e-5));
    EXPECT_LE(delta0.max().item<double>(), 1e-1 * (1 + 1e-5));
    EXPECT_NEAR(p["embedding.weight"].std().item<double>(), 0.02, 0.005);
}

TEST(MambaModel, StepModeRejectsAForeignOrMismatchedState) {
    MambaModel model = make_mamba_model(tiny_mamba_config(), 1);
    auto state = model->start_state(2);
    try {
        model->step_logits(torch::zeros({3}, torch::kLong), *state);
        FAIL() << "expected an error";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("layers[0].conv must be [3, 32, 2] Float"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_THROW(model->step_logits(torch::full({2}, 7, torch::kLong), *state),
                 std::invalid_argument);
    EXPECT_THROW(model->start_state(0), std::invalid_argument);
}

}  // namespace
}  // namespace statetrack::model
