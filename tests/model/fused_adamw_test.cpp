// FusedAdamW (model/fused_adamw.h) against torch::optim::AdamW, its reference: the same
// parameters after several steps with two groups (weight decay on and off, different learning
// rates, a learning rate changed between steps, a parameter without a gradient), in float64 and
// float32; the same state, and checkpoints that load into either optimiser; the fallback for
// amsgrad.
#include "model/fused_adamw.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <memory>
#include <sstream>
#include <vector>

#include "tests/testing/tensor_compare.h"

namespace statetrack::model {
namespace {

using statetrack::testing::tensors_close;
using torch::optim::AdamW;
using torch::optim::AdamWOptions;

struct Trial {
    std::vector<torch::Tensor> params;  // a (decay group), b (no-decay group), c (no gradient)
    std::unique_ptr<AdamW> optimizer;
};

template <typename Optimizer>
Trial make_trial(torch::ScalarType dtype, bool amsgrad = false) {
    torch::manual_seed(1);
    Trial s;
    for (auto shape : {std::vector<int64_t>{7, 5}, std::vector<int64_t>{11}, {3}}) {
        s.params.push_back(torch::randn(shape, dtype).requires_grad_(true));
    }
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(std::vector<torch::Tensor>{s.params[0]},
                        std::make_unique<AdamWOptions>(AdamWOptions(0.01)
                                                           .weight_decay(0.1)
                                                           .betas({0.9, 0.99})
                                                           .eps(1e-8)
                                                           .amsgrad(amsgrad)));
    groups.emplace_back(std::vector<torch::Tensor>{s.params[1], s.params[2]},
                        std::make_unique<AdamWOptions>(
                            AdamWOptions(0.02).weight_decay(0.0).eps(1e-18).amsgrad(amsgrad)));
    s.optimizer = std::make_unique<Optimizer>(std::move(groups), AdamWOptions(0.01));
    return s;
}

// Step `steps` times on fixed pseudo-random gradients (none for the third parameter); the
// first group's learning rate halves after step 3, as a schedule would do.
void train(Trial& s, int steps) {
    for (int step = 0; step < steps; ++step) {
        s.optimizer->zero_grad();
        torch::manual_seed(100 + step);
        for (size_t i = 0; i < 2; ++i) {
            s.params[i].mutable_grad() = torch::randn_like(s.params[i]);
        }
        if (step == 3) {
            static_cast<AdamWOptions&>(s.optimizer->param_groups()[0].options()).lr(0.005);
        }
        s.optimizer->step();
    }
}

void expect_same_params(const Trial& ref, const Trial& got, double tol) {
    for (size_t i = 0; i < ref.params.size(); ++i) {
        EXPECT_TRUE(tensors_close(ref.params[i], got.params[i], tol)) << "param " << i;
    }
}

TEST(FusedAdamW, MatchesAdamWOverSeveralSteps) {
    for (auto [dtype, tol] : {std::pair{torch::kFloat64, 1e-28}, std::pair{torch::kFloat32, 1e-12}}) {
        SCOPED_TRACE(c10::toString(dtype));
        Trial ref = make_trial<AdamW>(dtype);
        Trial got = make_trial<FusedAdamW>(dtype);
        train(ref, 6);
        train(got, 6);
        expect_same_params(ref, got, tol);
        // The parameters moved, and the one without a gradient did not.
        EXPECT_FALSE(torch::allclose(got.params[0], make_trial<AdamW>(dtype).params[0]));
        EXPECT_TRUE(torch::equal(got.params[2], make_trial<AdamW>(dtype).params[2]));
    }
}

TEST(FusedAdamW, CheckpointsMoveBetweenFusedAndPlainAdamW) {
    Trial fused = make_trial<FusedAdamW>(torch::kFloat64);
    train(fused, 3);
    std::stringstream saved;
    torch::save(*fused.optimizer, saved);
    // Continue once as fused, once as plain AdamW loaded from the fused checkpoint.
    Trial plain = make_trial<AdamW>(torch::kFloat64);
    for (size_t i = 0; i < plain.params.size(); ++i) {
        torch::NoGradGuard no_grad;
        plain.params[i].copy_(fused.params[i]);
    }
    torch::load(*plain.optimizer, saved);
    train(fused, 3);
    train(plain, 3);
    expect_same_params(plain, fused, 1e-28);
}

TEST(FusedAdamW, AmsgradFallsBackToAdamW) {
    Trial ref = make_trial<AdamW>(torch::kFloat64, /*amsgrad=*/true);
    Trial got = make_trial<FusedAdamW>(torch::kFloat64, /*amsgrad=*/true);
    train(ref, 4);
    train(got, 4);
    for (size_t i = 0; i < ref.params.size(); ++i) {
        EXPECT_TRUE(torch::equal(ref.params[i], got.params[i])) << "param " << i;
    }
}

}  // namespace
}  // namespace statetrack::model
