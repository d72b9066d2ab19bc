// silu_gate (kernels/silu_gate.h) against its LibTorch-op reference y * silu(z) run in float64
// with autograd (the oracle): output and both gradients on the CPU loops in float32 and float64,
// over a range of z that covers both tails of σ; a strided z (Mamba's gate is half of the input
// projection's output); the no-grad path; the bf16 fallback; the float64 gradients against
// central finite differences; and mismatched shapes.
#include "kernels/silu_gate.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <string>

#include "tests/testing/finite_difference.h"
#include "tests/testing/tensor_compare.h"

namespace statetrack::kernels {
namespace {

using statetrack::testing::tensors_close;

struct GateRun {
    torch::Tensor out, dy, dz;
};

template <typename F>
GateRun run(F f, const torch::Tensor& y0, const torch::Tensor& z0, const torch::Tensor& g) {
    const torch::Tensor y = y0.detach().clone().requires_grad_(true);
    const torch::Tensor z = z0.detach().clone().requires_grad_(true);
    const torch::Tensor out = f(y, z);
    out.backward(g.to(out.scalar_type()));
    return {out.detach(), y.grad(), z.grad()};
}

GateRun oracle(const torch::Tensor& y, const torch::Tensor& z, const torch::Tensor& g) {
    return run(silu_gate_reference, y.to(torch::kFloat64), z.to(torch::kFloat64),
               g.to(torch::kFloat64));
}

void expect_close(const GateRun& ref, const GateRun& got, double max_nmse) {
    EXPECT_TRUE(tensors_close(ref.out, got.out.to(torch::kFloat64), max_nmse)) << "out";
    EXPECT_TRUE(tensors_close(ref.dy, got.dy.to(torch::kFloat64), max_nmse)) << "dy";
    EXPECT_TRUE(tensors_close(ref.dz, got.dz.to(torch::kFloat64), max_nmse)) << "dz";
}

TEST(SiluGate, MatchesTheFloat64Oracle) {
    for (auto dtype : {torch::kFloat32, torch::kFloat64}) {
        SCOPED_TRACE(c10::toString(dtype));
        torch::manual_seed(3);
        // z over [-30, 30]: σ saturates at both ends; 4·37·29 elements leave a vector remainder.
        const torch::Tensor y = torch::randn({4, 37, 29}, torch::kFloat64).to(dtype);
        const torch::Tensor z = (torch::rand({4, 37, 29}, torch::kFloat64) * 60 - 30).to(dtype);
        const torch::Tensor g = torch::randn({4, 37, 29}, torch::kFloat64);
        // float32 rounds at ~6e-8 relative: NMSE ~1e-14; a wrong term is ~1e-2 or more.
        expect_close(oracle(y, z, g), run(silu_gate, y, z, g),
                     dtype == torch::kFloat64 ? 1e-24 : 1e-12);
    }
}

TEST(SiluGate, TakesAStridedGate) {
    torch::manual_seed(4);
    const torch::Tensor xz = torch::randn({3, 11, 40}, torch::kFloat64);
    const torch::Tensor y = torch::randn({3, 11, 20}, torch::kFloat64);
    const torch::Tensor z = xz.chunk(2, -1)[1];  // (3, 11, 20), rows 40 apart
    ASSERT_FALSE(z.is_contiguous());
    const torch::Tensor g = torch::randn({3, 11, 20}, torch::kFloat64);
    expect_close(oracle(y, z, g), run(silu_gate, y, z, g), 1e-24);
}

TEST(SiluGate, NoGradPathGivesTheSameOutput) {
    torch::manual_seed(5);
    const torch::Tensor y = torch::randn({6, 50}), z = torch::randn({6, 50}) * 4;
    torch::Tensor out;
    {
        torch::NoGradGuard no_grad;
        out = silu_gate(y, z);
    }
    EXPECT_TRUE(torch::equal(out, run(silu_gate, y, z, torch::zeros_like(y)).out));
}

TEST(SiluGate, Bf16RunsTheReference) {
    torch::manual_seed(6);
    const torch::Tensor y = torch::randn({4, 32}).to(torch::kBFloat16);
    const torch::Tensor z = torch::randn({4, 32}).to(torch::kBFloat16);
    EXPECT_TRUE(torch::equal(silu_gate(y, z), silu_gate_reference(y, z)));
}

TEST(SiluGate, GradientsMatchFiniteDifferences) {
    torch::manual_seed(7);
    const torch::Tensor y = torch::randn({2, 3, 7}, torch::kFloat64);
    const torch::Tensor z = torch::randn({2, 3, 7}, torch::kFloat64) * 3;
    const torch::Tensor g = torch::randn({2, 3, 7}, torch::kFloat64);
    const GateRun got = run(silu_gate, y, z, g);
    const auto loss = [&](const torch::Tensor& yy, const torch::Tensor& zz) {
        return (silu_gate(yy, zz) * g).sum().item<double>();
    };
    statetrack::testing::expect_central_differences(
        [&](const torch::Tensor& yy) { return loss(yy, z); }, y, got.dy, 1, 1e-7, "dy");
    statetrack::testing::expect_central_differences(
        [&](const torch::Tensor& zz) { return loss(y, zz); }, z, got.dz, 1, 1e-7, "dz");
}

TEST(SiluGate, RejectsMismatchedShapes) {
    try {
        silu_gate(torch::randn({2, 8}), torch::randn({2, 7}));
        FAIL() << "no error";
    } catch (const c10::Error& e) {
        EXPECT_NE(std::string(e.what_without_backtrace()).find("must have one shape"),
                  std::string::npos);
    }
}

}  // namespace
}  // namespace statetrack::kernels
