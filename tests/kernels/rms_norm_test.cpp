// rms_norm (kernels/rms_norm.h) against its LibTorch-op reference run in float64 with autograd
// (the oracle): output and the gradients of x and weight on the CPU loops in float32 and
// float64, at widths that are and are not a multiple of the loops' eight partial sums and over
// more rows than one block of weight-gradient sums; a zero row (the eps term alone); strided
// inputs; the no-grad path; the bf16 fallback; the float64 gradient against central finite
// differences; and a mismatched weight.
#include "kernels/rms_norm.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <string>

#include "tests/testing/finite_difference.h"
#include "tests/testing/tensor_compare.h"

namespace statetrack::kernels {
namespace {

using statetrack::testing::tensors_close;
constexpr double kEps = 1e-5;

struct NormRun {
    torch::Tensor y, dx, dw;
};

// f on fresh float64-or-given-dtype leaves, backpropagating g.
template <typename F>
NormRun run(F f, const torch::Tensor& x0, const torch::Tensor& w0, const torch::Tensor& g) {
    const torch::Tensor x = x0.detach().clone().requires_grad_(true);
    const torch::Tensor w = w0.detach().clone().requires_grad_(true);
    const torch::Tensor y = f(x, w);
    y.backward(g.to(y.scalar_type()));
    return {y.detach(), x.grad(), w.grad()};
}

NormRun oracle(const torch::Tensor& x, const torch::Tensor& w, const torch::Tensor& g) {
    return run([](const torch::Tensor& xx,
                  const torch::Tensor& ww) { return rms_norm_reference(xx, ww, kEps); },
               x.to(torch::kFloat64), w.to(torch::kFloat64), g.to(torch::kFloat64));
}

NormRun loops(const torch::Tensor& x, const torch::Tensor& w, const torch::Tensor& g) {
    return run(
        [](const torch::Tensor& xx, const torch::Tensor& ww) { return rms_norm(xx, ww, kEps); }, x,
        w, g);
}

void expect_close(const NormRun& ref, const NormRun& got, double max_nmse) {
    EXPECT_TRUE(tensors_close(ref.y, got.y.to(torch::kFloat64), max_nmse)) << "y";
    EXPECT_TRUE(tensors_close(ref.dx, got.dx.to(torch::kFloat64), max_nmse)) << "dx";
    EXPECT_TRUE(tensors_close(ref.dw, got.dw.to(torch::kFloat64), max_nmse)) << "dweight";
}

TEST(RmsNorm, MatchesTheFloat64Oracle) {
    // 3·50 = 150 rows span two blocks of weight-gradient sums (64); C = 13 leaves a remainder
    // after the eight partial sums.
    for (int64_t C : {64, 13}) {
        for (auto dtype : {torch::kFloat32, torch::kFloat64}) {
            SCOPED_TRACE(std::string(c10::toString(dtype)) + " C=" + std::to_string(C));
            torch::manual_seed(C);
            const torch::Tensor x = (torch::randn({3, 50, C}, torch::kFloat64) * 4 + 2).to(dtype);
            const torch::Tensor w = torch::randn({C}, torch::kFloat64).to(dtype);
            x[1][7].zero_();  // a zero row: y = 0, dx = rsqrt(eps)·g ⊙ w
            const torch::Tensor g = torch::randn({3, 50, C}, torch::kFloat64);
            const NormRun got = loops(x, w, g);
            // float32 rounds at ~6e-8 relative: NMSE ~1e-14; a wrong term is ~1e-2 or more.
            expect_close(oracle(x, w, g), got, dtype == torch::kFloat64 ? 1e-24 : 1e-11);
            EXPECT_TRUE(torch::equal(got.y[1][7], torch::zeros({C}, dtype)));
        }
    }
}

TEST(RmsNorm, TakesStridedInputs) {
    torch::manual_seed(5);
    const torch::Tensor x = torch::randn({16, 6, 10}, torch::kFloat64).transpose(0, 2);
    const torch::Tensor w = torch::randn({32}, torch::kFloat64).slice(0, 0, 32, 2);
    const torch::Tensor g = torch::randn({16, 6, 10}, torch::kFloat64).transpose(0, 2);
    expect_close(oracle(x, w, g), loops(x, w, g), 1e-24);
}

TEST(RmsNorm, NoGradPathGivesTheSameOutput) {
    torch::manual_seed(8);
    const torch::Tensor x = torch::randn({5, 7, 24}), w = torch::randn({24});
    torch::Tensor y;
    {
        torch::NoGradGuard no_grad;
        y = rms_norm(x, w, kEps);
    }
    EXPECT_TRUE(torch::equal(y, loops(x, w, torch::zeros_like(x)).y));
    EXPECT_TRUE(
        tensors_close(rms_norm_reference(x.to(torch::kFloat64), w.to(torch::kFloat64), kEps),
                      y.to(torch::kFloat64), 1e-11));
}

TEST(RmsNorm, Bf16RunsTheReference) {
    torch::manual_seed(6);
    const torch::Tensor x = torch::randn({4, 5, 32}).to(torch::kBFloat16);
    const torch::Tensor w = torch::randn({32}).to(torch::kBFloat16);
    EXPECT_TRUE(torch::equal(rms_norm(x, w, kEps), rms_norm_reference(x, w, kEps)));
}

TEST(RmsNorm, GradientMatchesFiniteDifferences) {
    torch::manual_seed(7);
    const torch::Tensor x = torch::randn({2, 3, 9}, torch::kFloat64);
    const torch::Tensor w = torch::randn({9}, torch::kFloat64);
    const torch::Tensor g = torch::randn({2, 3, 9}, torch::kFloat64);
    const NormRun got = loops(x, w, g);
    const auto loss = [&](const torch::Tensor& xx, const torch::Tensor& ww) {
        return (rms_norm(xx, ww, kEps) * g).sum().item<double>();
    };
    statetrack::testing::expect_central_differences(
        [&](const torch::Tensor& xx) { return loss(xx, w); }, x, got.dx, 5, 1e-7, "dx");
    statetrack::testing::expect_central_differences(
        [&](const torch::Tensor& ww) { return loss(x, ww); }, w, got.dw, 1, 1e-7, "dweight");
}

TEST(RmsNorm, RejectsAMismatchedWeight) {
    try {
        rms_norm(torch::randn({2, 3, 8}), torch::ones({7}), kEps);
        FAIL() << "no error";
    } catch (const c10::Error& e) {
        EXPECT_NE(std::string(e.what_without_backtrace()).find("weight must be (C)"),
                  std::string::npos);
    }
}

}  // namespace
}  // namespace statetrack::kernels
