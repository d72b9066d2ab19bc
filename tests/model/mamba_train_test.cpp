// MambaModel learns: short AdamW runs (model/adamw.h over its param_groups) drive the loss of
// tiny tasks near zero, through the op's backward. Parity tagging is the task the negative
// eigenvalues exist for (Grazzi et al. 2025): the label at t is (number of 1s in x_0..x_t) mod 2,
// which a sign-flipping state (a = −1 on a 1, a = 1 on a 0) tracks exactly.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <iostream>
#include <utility>

#include "model/adamw.h"
#include "model/mamba_model.h"
#include "tests/model/mamba_test_util.h"

namespace statetrack::model {
namespace {

// (tokens (B, T), targets (B, T) with −1 = no target) for training step `step`.
using BatchFn = std::function<std::pair<torch::Tensor, torch::Tensor>(int64_t step)>;

// Trains for `steps` AdamW steps; returns the loss of a fresh batch afterwards.
double train(MambaModel& model, const BatchFn& batch, int64_t steps, double lr) {
    AdamWSettings settings;
    settings.lr = lr;
    auto optimizer = make_adamw(model->param_groups(), settings);
    auto loss_of = [&](const torch::Tensor& tokens, const torch::Tensor& targets) {
        const torch::Tensor logits = model->logits(tokens);
        return torch::nn::functional::cross_entropy(
            logits.reshape({-1, logits.size(-1)}), targets.reshape({-1}),
            torch::nn::functional::CrossEntropyFuncOptions().ignore_index(-1));
    };
    for (int64_t step = 0; step < steps; ++step) {
        const auto [tokens, targets] = batch(step);
        optimizer->zero_grad();
        loss_of(tokens, targets).backward();
        optimizer->step();
    }
    torch::NoGradGuard no_grad;
    const auto [tokens, targets] = batch(steps + 1000);
    return loss_of(tokens, targets).item<double>();
}

// The same runs (seeds, data, optimiser) with and without the switch, at T = 16 and 150 steps,
// best of four restarts. One restart is not a verdict: across 12 seeds on each of two OpenBLAS
// kernel sets, 10 of 12 runs with negative eigenvalues went below 0.05 (most to ~1e-3) and 2
// stalled near 0.5, and which seeds stall changes with the last bits of the arithmetic (a
// single-seed test at T = 8 failed on another CPU). Without the switch no run went below 0.44:
// the convolution window and the gates get short prefixes right, the scan cannot count mod 2,
// as Mamba [0, 1] fails to fit parity in Grazzi et al. 2025.
TEST(MambaTraining, ParityTaggingNeedsTheNegativeEigenvalues) {
    double best[2] = {1e9, 1e9};
    for (uint64_t seed = 1; seed <= 4; ++seed) {
        const BatchFn parity = [seed](int64_t step) {
            const torch::Tensor tokens =
                testing::random_tokens(32, 16, 2, static_cast<int64_t>(1000 * seed) + step);
            return std::make_pair(tokens, tokens.cumsum(1).remainder(2));
        };
        for (bool negative : {false, true}) {
            MambaConfig c;
            c.vocab_size = 2;
            c.n_layers = 1;
            c.d_model = 32;
            c.d_state = 16;
            c.negative_eigenvalues = negative;
            MambaModel model = make_mamba_model(c, seed);
            const double loss = train(model, parity, 150, 1e-2);
            std::cout << "[ info ] parity tagging (T = 16), seed " << seed << ", "
                      << (negative ? "negative eigenvalues" : "[0, 1]") << ": loss after 150 steps "
                      << loss << "\n";
            best[negative] = std::min(best[negative], loss);
        }
    }
    EXPECT_LT(best[1], 0.05);
    EXPECT_GT(best[0], 0.2);
}

TEST(MambaTraining, LearnsPreviousTokenCopy) {
    MambaConfig c;
    c.vocab_size = 8;
    c.n_layers = 1;
    c.d_model = 16;
    c.d_state = 4;
    MambaModel model = make_mamba_model(c, 2);
    const BatchFn copy = [](int64_t step) {
        const torch::Tensor tokens = testing::random_tokens(32, 12, 8, 500 + step);
        torch::Tensor targets = torch::full_like(tokens, -1);
        targets.narrow(1, 1, 11).copy_(tokens.narrow(1, 0, 11));
        return std::make_pair(tokens, targets);
    };
    const double loss = train(model, copy, 150, 1e-2);
    std::cout << "[ info ] previous-token copy loss after 150 steps: " << loss << "\n";
    EXPECT_LT(loss, 0.05);
}

}  // namespace
}  // namespace statetrack::model
