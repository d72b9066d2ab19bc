// cross_entropy_loss (kernels/cross_entropy.h) against its reference (F::cross_entropy of the
// class columns with ignore_index −1) run in float64 with autograd (the oracle): the loss and
// the gradient of the logits on the CPU loops in float32 and float64, with more vocabulary
// columns than classes (their gradient is exactly 0) and with unscored positions (their row's
// gradient is exactly 0); logits whose rows differ by large offsets (the row maximum keeps the
// exponentials finite); the no-grad path; the bf16 fallback; the float64 gradient against central
// finite differences; NaN without a scored position; and the errors for a bad target and bad
// shapes, each naming the problem.
#include "kernels/cross_entropy.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <string>

#include "tests/testing/finite_difference.h"
#include "tests/testing/tensor_compare.h"

namespace statetrack::kernels {
namespace {

using statetrack::testing::tensors_close;

struct Inputs {
    torch::Tensor logits, targets;
    int64_t classes;
};

// (B, T, V) logits with V = classes + 3, every fourth position unscored.
Inputs make_inputs(torch::ScalarType dtype, int64_t classes, uint64_t seed) {
    torch::manual_seed(seed);
    const int64_t B = 3, T = 11, V = classes + 3;
    torch::Tensor targets = torch::randint(0, classes, {B, T}, torch::kInt64);
    targets.view(-1).slice(0, 0, B * T, 4).fill_(-1);
    return {3 * torch::randn({B, T, V}, dtype), targets, classes};
}

struct LossRun {
    torch::Tensor loss, grad;
};

template <typename F>
LossRun run(F f, const Inputs& in, torch::ScalarType dtype) {
    const torch::Tensor logits = in.logits.to(dtype).detach().requires_grad_(true);
    const torch::Tensor loss = f(logits, in.targets, in.classes);
    loss.backward();
    return {loss.detach(), logits.grad()};
}

TEST(CrossEntropyLoss, MatchesTheReferenceWithUnscoredPositionsAndExtraColumns) {
    for (const int64_t classes : {2, 5, 17}) {
        for (auto dtype : {torch::kFloat32, torch::kFloat64}) {
            SCOPED_TRACE(std::string(c10::toString(dtype)) + " classes " + std::to_string(classes));
            const Inputs in = make_inputs(dtype, classes, uint64_t(classes));
            const LossRun ref = run(cross_entropy_loss_reference, in, torch::kFloat64);
            const LossRun got = run(cross_entropy_loss, in, dtype);
            EXPECT_EQ(got.loss.scalar_type(), dtype);
            const double tol = dtype == torch::kFloat64 ? 1e-26 : 1e-12;
            EXPECT_TRUE(tensors_close(ref.loss, got.loss, tol)) << "loss";
            EXPECT_TRUE(tensors_close(ref.grad, got.grad, tol)) << "dlogits";
            const torch::Tensor extra = got.grad.narrow(-1, classes, 3);
            EXPECT_TRUE(torch::equal(extra, torch::zeros_like(extra))) << "non-class columns";
            const torch::Tensor unscored = got.grad.index({in.targets == -1});
            EXPECT_TRUE(torch::equal(unscored, torch::zeros_like(unscored))) << "unscored rows";
        }
    }
}

TEST(CrossEntropyLoss, LargeLogitsStayFinite) {
    Inputs in = make_inputs(torch::kFloat32, 4, 2);
    in.logits = in.logits + 300 * torch::arange(11, torch::kFloat32).view({1, 11, 1});
    const LossRun ref = run(cross_entropy_loss_reference, in, torch::kFloat64);
    const LossRun got = run(cross_entropy_loss, in, torch::kFloat32);
    EXPECT_TRUE(std::isfinite(got.loss.item<double>()));
    EXPECT_TRUE(tensors_close(ref.loss, got.loss, 1e-12));
    EXPECT_TRUE(tensors_close(ref.grad, got.grad, 1e-12));
}

TEST(CrossEntropyLoss, NoGradAndBf16Paths) {
    const Inputs in = make_inputs(torch::kFloat64, 3, 4);
    {
        torch::NoGradGuard no_grad;
        EXPECT_TRUE(tensors_close(cross_entropy_loss_reference(in.logits, in.targets, 3),
                                  cross_entropy_loss(in.logits, in.targets, 3), 1e-28));
    }
    const torch::Tensor bf16 = in.logits.to(torch::kBFloat16);
    EXPECT_TRUE(torch::equal(cross_entropy_loss(bf16, in.targets, 3),
                             cross_entropy_loss_reference(bf16, in.targets, 3)));
}

TEST(CrossEntropyLoss, GradientMatchesFiniteDifferences) {
    const Inputs in = make_inputs(torch::kFloat64, 5, 6);
    const LossRun got = run(cross_entropy_loss, in, torch::kFloat64);
    testing::expect_central_differences(
        [&](const torch::Tensor& logits) {
            return cross_entropy_loss(logits, in.targets, in.classes).item<double>();
        },
        in.logits, got.grad, 1, 1e-8, "dlogits");
}

TEST(CrossEntropyLoss, NoScoredPositionIsNaN) {
    Inputs in = make_inputs(torch::kFloat32, 3, 8);
    in.targets.fill_(-1);
    EXPECT_TRUE(std::isnan(cross_entropy_loss(in.logits, in.targets, 3).item<double>()));
    EXPECT_TRUE(std::isnan(cross_entropy_loss_reference(in.logits, in.targets, 3).item<double>()));
}

std::string error_of(const Inputs& in) {
    try {
        cross_entropy_loss(in.logits, in.targets, in.classes);
    } catch (const c10::Error& e) {
        return e.what_without_backtrace();
    }
    return "no error";
}

TEST(CrossEntropyLoss, RejectsBadTargetsAndShapes) {
    Inputs in = make_inputs(torch::kFloat32, 3, 9);
    in.targets.view(-1)[7] = 3;
    EXPECT_NE(error_of(in).find("cross_entropy_loss: target 3 at position 7 is neither -1 (not "
                                "scored) nor a class in [0, 3)"),
              std::string::npos)
        << error_of(in);
    in.targets.view(-1)[7] = -2;
    EXPECT_NE(error_of(in).find("target -2 at position 7"), std::string::npos) << error_of(in);
    in.targets.view(-1)[7] = 0;
    in.classes = 7;  // more classes than the 6 vocabulary columns
    EXPECT_NE(error_of(in).find("cross_entropy_loss: needs logits (..., V), int64 targets (...)"),
              std::string::npos)
        << error_of(in);
    in.classes = 3;
    in.targets = in.targets.narrow(1, 0, 10);
    EXPECT_NE(error_of(in).find("needs logits"), std::string::npos) << error_of(in);
}

}  // namespace
}  // namespace statetrack::kernels
