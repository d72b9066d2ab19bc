// The fused RWKV-7 step (model/rwkv7_fused_step.h) against a float64 oracle: the op-chain step
// (Rwkv7Model::step) of the same perturbed model in float64. The fused float32 path must be as
// close to the oracle as the float32 op chain is (error ratio within 4x of it, plus a floor),
// for every ablation, over many tokens, for logits and the state; and step_logits must take the
// fused path only where it applies (float32 CPU, no autograd) and agree with the reference
// elsewhere.
#include "model/rwkv7_fused_step.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <functional>
#include <utility>
#include <string>
#include <vector>

#include "model/rwkv7_test_util.h"
#include "testing/tensor_metrics.h"

namespace statetrack::model {
namespace {

using testing::perturbed_model;
using testing::random_tokens;
using testing::tiny_config;
using statetrack::testing::err_ratio;

constexpr int64_t kBatch = 3;
constexpr int64_t kSteps = 24;

struct StepRun {
    torch::Tensor logits;  // (B, steps, V)
    Rwkv7State state;
};

// Steps `tokens` (B,T) one token at a time with `step`, from a zero state.
StepRun run_steps(Rwkv7ModelImpl& model, const torch::Tensor& tokens,
                  const std::function<torch::Tensor(const torch::Tensor&, Rwkv7State&)>& step) {
    torch::NoGradGuard no_grad;
    StepRun out{torch::Tensor(), model.initial_state(tokens.size(0))};
    std::vector<torch::Tensor> logits;
    for (int64_t t = 0; t < tokens.size(1); ++t) {
        logits.push_back(step(tokens.select(1, t), out.state));
    }
    out.logits = torch::stack(logits, 1);
    return out;
}

StepRun op_chain(Rwkv7ModelImpl& model, const torch::Tensor& tokens) {
    return run_steps(model, tokens, [&](const torch::Tensor& x, Rwkv7State& s) {
        Rwkv7Output o = model.step(x, s);
        s = std::move(o.state);
        return o.logits;
    });
}

StepRun fused_with(const Rwkv7FusedStep& kernel, Rwkv7ModelImpl& model,
                   const torch::Tensor& tokens) {
    return run_steps(model, tokens, [&](const torch::Tensor& x, Rwkv7State& s) {
        return kernel.step(x, s);
    });
}

StepRun fused(Rwkv7ModelImpl& model, const torch::Tensor& tokens) {
    return fused_with(Rwkv7FusedStep(model), model, tokens);
}

void expect_as_close_as_the_op_chain(const Rwkv7Config& config, const std::string& what) {
    Rwkv7Model oracle_model = perturbed_model(config, torch::kFloat64);
    Rwkv7Model model = perturbed_model(config, torch::kFloat32);
    const torch::Tensor tokens = random_tokens(kBatch, kSteps, config.vocab_size, 11);
    const StepRun oracle = op_chain(*oracle_model, tokens);
    const StepRun chain = op_chain(*model, tokens);
    const StepRun got = fused(*model, tokens);
    const double chain_err = err_ratio(oracle.logits, chain.logits);
    const double fused_err = err_ratio(oracle.logits, got.logits);
    EXPECT_LT(fused_err, 4.0 * chain_err + 1e-7) << what << ": op chain " << chain_err;
    ::testing::Test::RecordProperty(what + ": fused / op-chain error",
                                    fmt::format("{:.3g} / {:.3g}", fused_err, chain_err));
    EXPECT_LT(fused_err, 1e-4) << what;
    for (size_t l = 0; l < got.state.layers.size(); ++l) {
        const Rwkv7LayerState& o = oracle.state.layers[l];
        const Rwkv7LayerState& g = got.state.layers[l];
        EXPECT_LT(err_ratio(o.wkv, g.wkv), 1e-4) << what << " layer " << l;
        EXPECT_LT(err_ratio(o.att_x_prev, g.att_x_prev), 1e-4) << what << " layer " << l;
        EXPECT_LT(err_ratio(o.ffn_x_prev, g.ffn_x_prev), 1e-4) << what << " layer " << l;
    }
}

TEST(Rwkv7FusedStep, MatchesTheFloat64OracleForEveryAblation) {
    const std::vector<std::pair<std::string, std::function<void(Rwkv7Config&)>>> variants = {
        {"reference", [](Rwkv7Config&) {}},
        {"extended eigenvalues", [](Rwkv7Config& c) { c.extended_eigenvalues = true; }},
        {"diagonal", [](Rwkv7Config& c) { c.diagonal_transition = true; }},
        {"no value residual", [](Rwkv7Config& c) { c.value_residual = false; }},
        {"no bonus", [](Rwkv7Config& c) { c.bonus = false; }},
        {"no decay clamp", [](Rwkv7Config& c) { c.decay_clamp = false; }},
    };
    for (const auto& [name, change] : variants) {
        Rwkv7Config c = tiny_config(3);
        change(c);
        expect_as_close_as_the_op_chain(c, name);
    }
}

TEST(Rwkv7FusedStep, MatchesAtOtherHeadSizesAndHeadCounts) {
    for (const auto [d_model, head_size] : {std::pair<int64_t, int64_t>{128, 64}, {96, 32}}) {
        Rwkv7Config c = tiny_config(2);
        c.d_model = d_model;
        c.head_size = head_size;
        expect_as_close_as_the_op_chain(resolve_rwkv7_config(c),
                                        "C " + std::to_string(d_model) + ", N " +
                                            std::to_string(head_size));
    }
}

TEST(Rwkv7FusedStep, StepLogitsUsesItOnlyWhereItApplies) {
    const Rwkv7Config config = tiny_config(2);
    Rwkv7Model model = perturbed_model(config, torch::kFloat32);
    EXPECT_TRUE(Rwkv7FusedStep::supports(*model));
    const torch::Tensor tokens = random_tokens(kBatch, 8, config.vocab_size, 5);
    const StepRun chain = op_chain(*model, tokens);
    const auto through_interface = [&](bool grad) {
        torch::AutoGradMode mode(grad);
        std::unique_ptr<StepState> state = model->start_state(kBatch);
        std::vector<torch::Tensor> logits;
        for (int64_t t = 0; t < tokens.size(1); ++t) {
            logits.push_back(model->step_logits(tokens.select(1, t), *state).detach());
        }
        return torch::stack(logits, 1);
    };
    // With autograd on, step_logits is the op chain itself: bit for bit.
    EXPECT_TRUE(torch::equal(through_interface(true), chain.logits));
    const torch::Tensor fast = through_interface(false);
    EXPECT_FALSE(torch::equal(fast, chain.logits));  // another order of additions ...
    EXPECT_LT(err_ratio(chain.logits, fast), 1e-5);  // ... the same function
    Rwkv7Model f64 = perturbed_model(config, torch::kFloat64);
    EXPECT_FALSE(Rwkv7FusedStep::supports(*f64));
}

TEST(Rwkv7FusedStep, IsASnapshotOfTheWeights) {
    const Rwkv7Config config = tiny_config(1);
    Rwkv7Model model = perturbed_model(config, torch::kFloat32);
    const torch::Tensor tokens = random_tokens(1, 4, config.vocab_size, 3);
    const Rwkv7FusedStep kernel(*model);
    const StepRun before = fused_with(kernel, *model, tokens);
    testing::perturb_parameters(*model, 0.1, 99);
    // The kernel built before the change still computes the old weights, bit for bit ...
    EXPECT_TRUE(torch::equal(fused_with(kernel, *model, tokens).logits, before.logits));
    // ... and one built after computes the new ones.
    const StepRun after = fused(*model, tokens);
    EXPECT_LT(err_ratio(op_chain(*model, tokens).logits, after.logits), 1e-5);
    EXPECT_GT(err_ratio(before.logits, after.logits), 1e-3);
}

}  // namespace
}  // namespace statetrack::model
