// causal_conv (kernels/causal_conv.h) against its reference (Conv1d on the left-padded,
// transposed input; LibTorch's convolution and its autograd): output and the gradients of x,
// weight and bias on the CPU loops in float32 and float64, with the kernel shorter than, equal to
// and longer than the sequence (K = 1, 4, 6 for T = 5), over a non-contiguous x (the chunk of a
// projection, as Mamba passes it); causality; the no-grad path; the bf16 fallback; the float64
// gradient against central finite differences; and mismatched shapes.
#include "kernels/causal_conv.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <string>
#include <vector>

#include "tests/testing/tensor_compare.h"
#include "tests/testing/weighted_op_check.h"

namespace statetrack::kernels {
namespace {

using statetrack::testing::tensors_close;

using statetrack::testing::expect_same_weighted_op;
using statetrack::testing::run_weighted_op;
using statetrack::testing::WeightedOpRun;

TEST(CausalConv, MatchesTheReferenceForwardAndBackward) {
    for (const int64_t K : {1, 4, 6}) {
        for (auto dtype : {torch::kFloat32, torch::kFloat64}) {
            SCOPED_TRACE(std::string(c10::toString(dtype)) + " K=" + std::to_string(K));
            torch::manual_seed(K);
            const int64_t B = 3, T = 5, E = 19;
            const torch::Tensor x = torch::randn({B, T, E}, dtype);
            const torch::Tensor w = torch::randn({E, 1, K}, dtype);
            const torch::Tensor b = torch::randn({E}, dtype), g = torch::randn_like(x);
            const double tol = dtype == torch::kFloat64 ? 1e-24 : 1e-12;
            expect_same_weighted_op(run_weighted_op(causal_conv_reference, x, w, b, g),
                                    run_weighted_op(causal_conv, x, w, b, g), tol);
        }
    }
}

TEST(CausalConv, TakesAChunkOfAProjectionAndIsCausal) {
    torch::manual_seed(3);
    const torch::Tensor xz = torch::randn({2, 40, 2 * 32}, torch::kFloat64);
    const torch::Tensor x = xz.chunk(2, -1)[0];  // (2, 40, 32), rows 64 apart
    ASSERT_FALSE(x.is_contiguous());
    const torch::Tensor w = torch::randn({32, 1, 4}, torch::kFloat64);
    const torch::Tensor b = torch::randn({32}, torch::kFloat64);
    const torch::Tensor g = torch::randn({2, 40, 32}, torch::kFloat64);
    expect_same_weighted_op(run_weighted_op(causal_conv_reference, x, w, b, g),
                            run_weighted_op(causal_conv, x, w, b, g), 1e-24);
    torch::NoGradGuard no_grad;
    const torch::Tensor y = causal_conv(x, w, b);
    EXPECT_TRUE(tensors_close(causal_conv_reference(x, w, b), y, 1e-24)) << "no-grad path";
    torch::Tensor changed = x.clone();
    changed.select(1, 20).add_(1.0);
    const torch::Tensor y2 = causal_conv(changed, w, b);
    EXPECT_TRUE(torch::equal(y.narrow(1, 0, 20), y2.narrow(1, 0, 20))) << "t < 20 moved";
    EXPECT_FALSE(torch::equal(y.narrow(1, 20, 4), y2.narrow(1, 20, 4)));
    EXPECT_TRUE(torch::equal(y.narrow(1, 24, 16), y2.narrow(1, 24, 16))) << "t ≥ 24 moved";
}

TEST(CausalConv, Bf16RunsTheReference) {
    torch::manual_seed(6);
    const torch::Tensor x = torch::randn({2, 7, 16}).to(torch::kBFloat16);
    const torch::Tensor w = torch::randn({16, 1, 4}).to(torch::kBFloat16);
    const torch::Tensor b = torch::randn({16}).to(torch::kBFloat16);
    EXPECT_TRUE(torch::equal(causal_conv(x, w, b), causal_conv_reference(x, w, b)));
}

TEST(CausalConv, GradientMatchesFiniteDifferences) {
    torch::manual_seed(7);
    const torch::Tensor x = torch::randn({2, 6, 5}, torch::kFloat64);
    const torch::Tensor w = torch::randn({5, 1, 3}, torch::kFloat64);
    const torch::Tensor b = torch::randn({5}, torch::kFloat64);
    const torch::Tensor g = torch::randn({2, 6, 5}, torch::kFloat64);
    const WeightedOpRun got = run_weighted_op(causal_conv, x, w, b, g);
    const double h = 1e-6;
    const auto loss = [&](const torch::Tensor& xx, const torch::Tensor& ww) {
        return (causal_conv(xx, ww, b) * g).sum().item<double>();
    };
    for (int64_t i = 0; i < x.numel(); i += 3) {
        torch::Tensor up = x.clone(), down = x.clone();
        up.view(-1)[i] += h;
        down.view(-1)[i] -= h;
        const double fd = (loss(up, w) - loss(down, w)) / (2 * h);
        EXPECT_NEAR(got.dx.view(-1)[i].item<double>(), fd, 1e-8) << "dx[" << i << "]";
    }
    for (int64_t i = 0; i < w.numel(); ++i) {
        torch::Tensor up = w.clone(), down = w.clone();
        up.view(-1)[i] += h;
        down.view(-1)[i] -= h;
        const double fd = (loss(x, up) - loss(x, down)) / (2 * h);
        EXPECT_NEAR(got.dw.view(-1)[i].item<double>(), fd, 1e-8) << "dweight[" << i << "]";
    }
    EXPECT_TRUE(tensors_close(g.sum(std::vector<int64_t>{0, 1}), got.db, 1e-28)) << "dbias = Σ g";
}

TEST(CausalConv, RejectsMismatchedShapes) {
    const torch::Tensor x = torch::randn({2, 3, 8});
    try {
        causal_conv(x, torch::ones({7, 1, 4}), torch::zeros({8}));
        FAIL() << "no error";
    } catch (const c10::Error& e) {
        EXPECT_NE(std::string(e.what_without_backtrace())
                      .find("causal_conv: x must be (B, T, E), weight (E, 1, K) and bias (E)"),
                  std::string::npos);
    }
}

}  // namespace
}  // namespace statetrack::kernels
