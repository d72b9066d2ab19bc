// gelu (kernels/gelu.h) against its reference torch::gelu (exact CDF): forward and gradient on
// the CPU loops in float64 (std::erfc, to ~1e-28 NMSE) and float32 (the erfc fit and exp_approx,
// each element against a float64 std::erfc oracle, relative to its condition, in both tails),
// strided inputs, the reference fallback for bf16, the float64 gradient against central finite
// differences, and the double-backward error. The same loop path as relu_square
// (kernels/pointwise_function.h).
#include "kernels/gelu.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <cstdio>

#include "tests/kernels/pointwise_test_util.h"
#include "tests/testing/tensor_compare.h"

namespace statetrack::kernels {
namespace {

using statetrack::testing::tensors_close;

using testing::value_and_grad;
using testing::ValueAndGrad;

torch::Tensor reference(const torch::Tensor& x) { return torch::gelu(x); }
// Qualified: at::gelu is also found by argument-dependent lookup.
torch::Tensor ours(const torch::Tensor& x) { return kernels::gelu(x); }

// Inputs over the range that matters, both tails included (Φ(−9) ≈ 1e-19) and exact zeros.
torch::Tensor inputs(torch::ScalarType dtype) {
    torch::manual_seed(3);
    torch::Tensor x = torch::cat({torch::randn({4000}, torch::kFloat64) * 2,
                                  torch::linspace(-9, 9, 721, torch::kFloat64),
                                  torch::zeros({3}, torch::kFloat64)});
    return x.to(dtype);
}

// The float64 oracle for the tails: y = x·½·erfc(−x/√2) and dy/dx = Φ(x) + x·φ(x) element by
// element with std::erfc (torch::gelu's 1 + erf(x/√2) cancels to 0 below x ≈ −8 even in float64),
// and each value's scale: |y|, and Φ + |x|·φ for the derivative (a sum of two terms that
// cancel near its root at x ≈ −0.75 and in the negative tail).
struct Oracle {
    torch::Tensor y, dx, y_scale, dx_scale;
};
Oracle exact(const torch::Tensor& x) {
    const torch::Tensor x64 = x.to(torch::kFloat64).contiguous();
    Oracle o{torch::empty_like(x64), torch::empty_like(x64), torch::empty_like(x64),
             torch::empty_like(x64)};
    const double* xp = x64.data_ptr<double>();
    for (int64_t i = 0; i < x64.numel(); ++i) {
        const double cdf = 0.5 * std::erfc(-xp[i] / std::sqrt(2.0));
        const double pdf = std::exp(-0.5 * xp[i] * xp[i]) / std::sqrt(2.0 * M_PI);
        o.y.data_ptr<double>()[i] = xp[i] * cdf;
        o.dx.data_ptr<double>()[i] = cdf + xp[i] * pdf;
        o.y_scale.data_ptr<double>()[i] = std::abs(xp[i] * cdf);
        o.dx_scale.data_ptr<double>()[i] = cdf + std::abs(xp[i]) * pdf;
    }
    return o;
}

// Largest |got − ref| / (scale·(1 + x²)) over the elements with scale ≠ 0: the error relative to
// what rounding x to float alone causes (the tails' condition number grows like x²).
double max_scaled_error(const torch::Tensor& ref, const torch::Tensor& got,
                        const torch::Tensor& scale, const torch::Tensor& x) {
    const torch::Tensor x64 = x.to(torch::kFloat64), g = got.to(torch::kFloat64);
    const torch::Tensor err = (g - ref).abs() / (scale * (1 + x64 * x64));
    return err.index({scale != 0}).max().item<double>();
}

TEST(Gelu, MatchesTheReferenceInFloat64) {
    const torch::Tensor x = inputs(torch::kFloat64);
    const torch::Tensor g = torch::randn_like(x);
    const ValueAndGrad ref = value_and_grad(reference, x, g);
    const ValueAndGrad got = value_and_grad(ours, x, g);
    EXPECT_TRUE(tensors_close(ref.y, got.y, 1e-28)) << "y";
    EXPECT_TRUE(tensors_close(ref.dx, got.dx, 1e-28)) << "dx";
}

TEST(Gelu, Float32IsWithinItsRoundingOfFloat64) {
    const torch::Tensor x = inputs(torch::kFloat32);
    const Oracle ref = exact(x);  // at the float32 inputs: only the function's error counts
    const ValueAndGrad got = value_and_grad(ours, x, torch::ones_like(x));
    const double y_error = max_scaled_error(ref.y, got.y, ref.y_scale, x);
    const double dx_error = max_scaled_error(ref.dx, got.dx, ref.dx_scale, x);
    std::printf("float32 GELU, max error / (scale·(1 + x²)): y %.3g, dy/dx %.3g\n", y_error,
                dx_error);
    EXPECT_LT(y_error, 1.5e-6);   // measured 3.2e-7 (AVX-512 build)
    EXPECT_LT(dx_error, 1.5e-6);  // measured 2.8e-7
    EXPECT_TRUE(torch::equal(got.y.index({x == 0}), torch::zeros({3})));
    // And LibTorch's own float32 GELU (oneDNN's) agrees to float rounding.
    EXPECT_TRUE(tensors_close(torch::gelu(x), got.y, 1e-13));
}

TEST(Gelu, TakesStridedInputsAndGradients) {
    testing::expect_strided_inputs_match(ours, reference);
}

TEST(Gelu, GradientMatchesCentralFiniteDifferences) {
    torch::manual_seed(5);
    testing::expect_finite_differences_match(ours, torch::randn({64}, torch::kFloat64) * 3);
}

TEST(Gelu, Bfloat16TakesTheReferencePath) { testing::expect_bf16_takes_reference(ours, reference); }

TEST(Gelu, DoubleBackwardIsAClearError) { testing::expect_double_backward_error(ours, "gelu"); }

}  // namespace
}  // namespace statetrack::kernels
