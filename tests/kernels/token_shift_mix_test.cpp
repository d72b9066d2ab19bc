// token_shift_mix (kernels/token_shift_mix.h): the CPU loops against the torch-ops reference
// (values and every gradient, float32 and float64, unused mixes, strided inputs), the reference
// against the formula written out per element, the loop gradient against central finite
// differences in float64, the bf16 fallback and the shape checks.
#include "kernels/token_shift_mix.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <string>
#include <utility>
#include <vector>

#include "tests/testing/tensor_compare.h"

namespace statetrack::kernels {
namespace {

using statetrack::testing::tensors_close;
using MixFn = std::vector<torch::Tensor> (*)(const torch::Tensor&, const torch::Tensor&,
                                             const torch::Tensor&);

struct Inputs {
    torch::Tensor x, x_prev, mu;
};

Inputs make_inputs(int64_t B, int64_t T, int64_t C, int64_t K, torch::ScalarType dtype,
                   uint64_t seed) {
    torch::manual_seed(seed);
    return {torch::randn({B, T, C}, dtype), torch::randn({B, C}, dtype),
            torch::rand({K, C}, dtype)};
}

struct Result {
    std::vector<torch::Tensor> out;
    torch::Tensor dx, dx_prev, dmu;
};

// Outputs and the gradients of Σ_k <out[k], g[k]>; a mix with an undefined g gets none.
Result run(MixFn fn, const Inputs& in, const std::vector<torch::Tensor>& g) {
    const torch::Tensor x = in.x.detach().clone().requires_grad_(true);
    const torch::Tensor p = in.x_prev.detach().clone().requires_grad_(true);
    const torch::Tensor m = in.mu.detach().clone().requires_grad_(true);
    const std::vector<torch::Tensor> out = fn(x, p, m);
    torch::Tensor loss = torch::zeros({}, x.options());
    for (size_t k = 0; k < out.size(); ++k) {
        if (g[k].defined()) {
            loss = loss + (out[k] * g[k]).sum();
        }
    }
    loss.backward();
    Result r{{}, x.grad(), p.grad(), m.grad()};
    for (const torch::Tensor& o : out) {
        r.out.push_back(o.detach());
    }
    return r;
}

std::vector<torch::Tensor> upstream(const Inputs& in, uint64_t seed) {
    torch::manual_seed(seed);
    std::vector<torch::Tensor> g;
    for (int64_t k = 0; k < in.mu.size(0); ++k) {
        g.push_back(torch::randn_like(in.x));
    }
    return g;
}

void expect_same(const Result& ref, const Result& got, double max_nmse) {
    ASSERT_EQ(ref.out.size(), got.out.size());
    for (size_t k = 0; k < ref.out.size(); ++k) {
        EXPECT_TRUE(tensors_close(ref.out[k], got.out[k], max_nmse)) << "out[" << k << "]";
    }
    EXPECT_TRUE(tensors_close(ref.dx, got.dx, max_nmse)) << "dx";
    EXPECT_TRUE(tensors_close(ref.dx_prev, got.dx_prev, max_nmse)) << "dx_prev";
    EXPECT_TRUE(tensors_close(ref.dmu, got.dmu, max_nmse)) << "dmu";
}

TEST(TokenShiftMix, ReferenceIsTheFormulaPerElement) {
    const Inputs in = make_inputs(2, 3, 4, 2, torch::kFloat64, 1);
    const std::vector<torch::Tensor> out = token_shift_mix_reference(in.x, in.x_prev, in.mu);
    for (int64_t k = 0; k < 2; ++k) {
        for (int64_t b = 0; b < 2; ++b) {
            for (int64_t t = 0; t < 3; ++t) {
                for (int64_t c = 0; c < 4; ++c) {
                    const double x = in.x[b][t][c].item<double>();
                    const double prev =
                        t == 0 ? in.x_prev[b][c].item<double>() : in.x[b][t - 1][c].item<double>();
                    const double want = x + (prev - x) * in.mu[k][c].item<double>();
                    EXPECT_NEAR(out[k][b][t][c].item<double>(), want, 1e-15);
                }
            }
        }
    }
}

TEST(TokenShiftMix, LoopsMatchTheReferenceWithGradients) {
    for (auto dtype : {torch::kFloat32, torch::kFloat64}) {
        // C = 150 spans two full channel tiles of the loops (64) and a ragged one.
        for (auto [T, C] : {std::pair<int64_t, int64_t>{1, 24}, {5, 24}, {40, 24}, {7, 150}}) {
            SCOPED_TRACE(std::string(c10::toString(dtype)) + " T=" + std::to_string(T) +
                         " C=" + std::to_string(C));
            const Inputs in = make_inputs(3, T, C, 6, dtype, 2);
            const std::vector<torch::Tensor> g = upstream(in, 3);
            const double tol = dtype == torch::kFloat64 ? 1e-26 : 1e-11;
            expect_same(run(token_shift_mix_reference, in, g), run(token_shift_mix, in, g), tol);
        }
    }
}

TEST(TokenShiftMix, UnusedMixesContributeNoGradient) {
    const Inputs in = make_inputs(2, 7, 16, 3, torch::kFloat64, 4);
    std::vector<torch::Tensor> g = upstream(in, 5);
    g[1] = torch::Tensor();
    const Result ref = run(token_shift_mix_reference, in, g);
    const Result got = run(token_shift_mix, in, g);
    expect_same(ref, got, 1e-26);
    EXPECT_TRUE(torch::equal(got.dmu[1], torch::zeros_like(got.dmu[1])));
}

TEST(TokenShiftMix, TakesStridedInputs) {
    const Inputs base = make_inputs(4, 6, 10, 2, torch::kFloat64, 6);
    // x as a transposed (B,C,T) buffer, x_prev and mu as every other row of larger tensors.
    const Inputs in{base.x.transpose(1, 2).contiguous().transpose(1, 2),
                    torch::cat({base.x_prev, base.x_prev}, 1).slice(1, 0, 20, 2),
                    torch::cat({base.mu, base.mu}).slice(0, 0, 4, 2)};
    ASSERT_FALSE(in.x.is_contiguous());
    const std::vector<torch::Tensor> g = upstream(in, 7);
    expect_same(run(token_shift_mix_reference, in, g), run(token_shift_mix, in, g), 1e-26);
}

TEST(TokenShiftMix, GradientMatchesCentralFiniteDifferences) {
    const Inputs in = make_inputs(2, 4, 3, 2, torch::kFloat64, 8);
    const std::vector<torch::Tensor> g = upstream(in, 9);
    const Result got = run(token_shift_mix, in, g);
    const auto loss = [&](const Inputs& at) {
        const std::vector<torch::Tensor> out = token_shift_mix(at.x, at.x_prev, at.mu);
        double total = 0;
        for (size_t k = 0; k < out.size(); ++k) {
            total += (out[k] * g[k]).sum().item<double>();
        }
        return total;
    };
    const double h = 1e-6;
    const auto check = [&](torch::Tensor Inputs::*field, const torch::Tensor& grad,
                           const char* name) {
        for (int64_t i = 0; i < grad.numel(); ++i) {
            Inputs up = {in.x.clone(), in.x_prev.clone(), in.mu.clone()};
            Inputs down = {in.x.clone(), in.x_prev.clone(), in.mu.clone()};
            (up.*field).view(-1)[i] += h;
            (down.*field).view(-1)[i] -= h;
            const double fd = (loss(up) - loss(down)) / (2 * h);
            EXPECT_NEAR(grad.view(-1)[i].item<double>(), fd, 1e-7) << name << "[" << i << "]";
        }
    };
    check(&Inputs::x, got.dx, "dx");
    check(&Inputs::x_prev, got.dx_prev, "dx_prev");
    check(&Inputs::mu, got.dmu, "dmu");
}

TEST(TokenShiftMix, Bfloat16TakesTheReferencePath) {
    Inputs in = make_inputs(2, 5, 8, 2, torch::kFloat32, 10);
    in = {in.x.to(torch::kBFloat16), in.x_prev.to(torch::kBFloat16), in.mu.to(torch::kBFloat16)};
    const std::vector<torch::Tensor> g = upstream(in, 11);
    const Result ref = run(token_shift_mix_reference, in, g);
    const Result got = run(token_shift_mix, in, g);
    EXPECT_EQ(got.out[0].scalar_type(), torch::kBFloat16);
    EXPECT_TRUE(torch::equal(ref.out[1], got.out[1]));
    EXPECT_TRUE(torch::equal(ref.dmu, got.dmu));
}

TEST(TokenShiftMix, RejectsMismatchedShapes) {
    const Inputs in = make_inputs(2, 5, 8, 2, torch::kFloat32, 12);
    const auto message = [](const auto& call) {
        try {
            call();
        } catch (const c10::Error& e) {
            return std::string(e.what_without_backtrace());
        }
        return std::string("no error");
    };
    EXPECT_NE(message([&] { token_shift_mix(in.x, in.x_prev.t(), in.mu); }).find("x_prev must be"),
              std::string::npos);
    EXPECT_NE(message([&] { token_shift_mix(in.x, in.x_prev, in.mu.t()); }).find("mu must be"),
              std::string::npos);
    EXPECT_NE(message([&] { token_shift_mix(in.x[0], in.x_prev, in.mu); }).find("x must be"),
              std::string::npos);
}

}  // namespace
}  // namespace statetrack::kernels
