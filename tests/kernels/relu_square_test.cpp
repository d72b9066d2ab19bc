// relu_square (kernels/relu_square.h) against its reference torch::relu(x).square(): forward
// and gradient on the CPU loops in float32 and float64, strided inputs, the reference fallback
// for bf16, and the float64 gradient against central finite differences.
#include "kernels/relu_square.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "tests/kernels/pointwise_test_util.h"
#include "tests/testing/tensor_compare.h"

namespace statetrack::kernels {
namespace {

using statetrack::testing::tensors_close;

using testing::value_and_grad;
using testing::ValueAndGrad;

torch::Tensor reference(const torch::Tensor& x) { return torch::relu(x).square(); }

TEST(ReluSquare, MatchesTheReferenceForwardAndBackward) {
    for (auto dtype : {torch::kFloat32, torch::kFloat64}) {
        SCOPED_TRACE(c10::toString(dtype));
        torch::manual_seed(3);
        // Exact zeros and negatives included: the gradient at 0 is 0 on both sides.
        torch::Tensor x = torch::randn({7, 33, 19}, dtype);
        x.index_put_({0}, 0.0);
        const torch::Tensor g = torch::randn_like(x);
        const ValueAndGrad ref = value_and_grad(reference, x, g);
        const ValueAndGrad got = value_and_grad(relu_square, x, g);
        EXPECT_TRUE(torch::equal(got.y, ref.y));
        EXPECT_TRUE(tensors_close(ref.dx, got.dx, 1e-14)) << "dx";
        EXPECT_TRUE(torch::equal(got.dx.index({0}), torch::zeros_like(got.dx.index({0}))));
    }
}

TEST(ReluSquare, TakesStridedInputsAndGradients) {
    testing::expect_strided_inputs_match(relu_square, reference);
}

TEST(ReluSquare, GradientMatchesCentralFiniteDifferences) {
    torch::manual_seed(5);
    // Away from the kink at 0, where the finite difference would straddle it.
    const torch::Tensor x = torch::randn({64}, torch::kFloat64);
    testing::expect_finite_differences_match(relu_square, x + x.sign() * 0.1);
}

TEST(ReluSquare, Bfloat16TakesTheReferencePath) {
    testing::expect_bf16_takes_reference(relu_square, reference);
}

TEST(ReluSquare, DoubleBackwardIsAClearError) {
    testing::expect_double_backward_error(relu_square, "relu_square");
}

}  // namespace
}  // namespace statetrack::kernels
