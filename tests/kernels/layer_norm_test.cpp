// layer_norm (kernels/layer_norm.h) against torch::layer_norm: output and the gradients of x,
// weight and bias on the CPU loops in float32 and float64, at widths that are and are not a
// multiple of the loops' eight partial sums and over more rows than one block of parameter
// sums; a constant row (variance 0: the ε term alone); strided inputs; the bf16 fallback; the
// float64 gradient against central finite differences; and mismatched parameters.
#include "kernels/layer_norm.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <string>

#include "tests/testing/finite_difference.h"
#include "tests/testing/tensor_compare.h"
#include "tests/testing/weighted_op_check.h"

namespace statetrack::kernels {
namespace {

using statetrack::testing::tensors_close;
constexpr double kEps = 1e-5;

using statetrack::testing::expect_same_weighted_op;
using statetrack::testing::run_weighted_op;
using statetrack::testing::WeightedOpRun;

torch::Tensor reference(const torch::Tensor& x, const torch::Tensor& w, const torch::Tensor& b) {
    return torch::layer_norm(x, {x.size(-1)}, w, b, kEps);
}
torch::Tensor loops(const torch::Tensor& x, const torch::Tensor& w, const torch::Tensor& b) {
    return layer_norm(x, w, b, kEps);
}

TEST(LayerNorm, MatchesTorchForwardAndBackward) {
    // 3·50 = 150 rows span two blocks of parameter sums (64); C = 13 leaves a remainder after
    // the eight partial sums.
    for (int64_t C : {64, 13}) {
        for (auto dtype : {torch::kFloat32, torch::kFloat64}) {
            SCOPED_TRACE(std::string(c10::toString(dtype)) + " C=" + std::to_string(C));
            torch::manual_seed(C);
            const torch::Tensor x = torch::randn({3, 50, C}, dtype) * 4 + 2;
            const torch::Tensor w = torch::randn({C}, dtype), b = torch::randn({C}, dtype);
            x[1][7].fill_(-3.0);  // a constant row: x̂ = 0, y = bias
            const torch::Tensor g = torch::randn_like(x);
            const double tol = dtype == torch::kFloat64 ? 1e-24 : 1e-11;
            const WeightedOpRun got = run_weighted_op(loops, x, w, b, g);
            expect_same_weighted_op(run_weighted_op(reference, x, w, b, g), got, tol);
            EXPECT_TRUE(torch::allclose(got.y[1][7], b));
        }
    }
}

TEST(LayerNorm, TakesStridedInputs) {
    torch::manual_seed(5);
    const torch::Tensor base = torch::randn({16, 6, 10}, torch::kFloat64);
    const torch::Tensor x = base.transpose(0, 2);  // (10, 6, 16), not contiguous
    const torch::Tensor w = torch::randn({32}, torch::kFloat64).slice(0, 0, 32, 2);
    const torch::Tensor b = torch::randn({16}, torch::kFloat64);
    const torch::Tensor g = torch::randn({16, 6, 10}, torch::kFloat64).transpose(0, 2);
    expect_same_weighted_op(run_weighted_op(reference, x, w, b, g),
                            run_weighted_op(loops, x, w, b, g), 1e-24);
}

TEST(LayerNorm, Bf16RunsTheReference) {
    torch::manual_seed(6);
    const torch::Tensor x = torch::randn({4, 5, 32}).to(torch::kBFloat16);
    const torch::Tensor w = torch::randn({32}).to(torch::kBFloat16);
    const torch::Tensor b = torch::randn({32}).to(torch::kBFloat16);
    EXPECT_TRUE(torch::equal(layer_norm(x, w, b, kEps), reference(x, w, b)));
}

TEST(LayerNorm, GradientMatchesFiniteDifferences) {
    torch::manual_seed(7);
    const torch::Tensor x = torch::randn({2, 3, 9}, torch::kFloat64);
    const torch::Tensor w = torch::randn({9}, torch::kFloat64),
                        b = torch::randn({9}, torch::kFloat64);
    const torch::Tensor g = torch::randn({2, 3, 9}, torch::kFloat64);
    const WeightedOpRun got = run_weighted_op(loops, x, w, b, g);
    const auto loss = [&](const torch::Tensor& xx, const torch::Tensor& ww) {
        return (layer_norm(xx, ww, b, kEps) * g).sum().item<double>();
    };
    statetrack::testing::expect_central_differences(
        [&](const torch::Tensor& xx) { return loss(xx, w); }, x, got.dx, 5, 1e-7, "dx");
    statetrack::testing::expect_central_differences(
        [&](const torch::Tensor& ww) { return loss(x, ww); }, w, got.dw, 1, 1e-7, "dweight");
}

TEST(LayerNorm, RejectsMismatchedParameters) {
    const torch::Tensor x = torch::randn({2, 3, 8});
    try {
        layer_norm(x, torch::ones({7}), torch::zeros({8}), kEps);
        FAIL() << "no error";
    } catch (const c10::Error& e) {
        EXPECT_NE(std::string(e.what_without_backtrace()).find("weight and bias must be (C)"),
                  std::string::npos);
    }
}

}  // namespace
}  // namespace statetrack::kernels
