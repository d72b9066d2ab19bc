// relu_square (kernels/relu_square.h) against its reference torch::relu(x).square(): forward
// and gradient on the CPU loops in float32 and float64, strided inputs, the reference fallback
// for bf16, and the float64 gradient against central finite differences.
#include "kernels/relu_square.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "tests/testing/tensor_compare.h"

namespace statetrack::kernels {
namespace {

using statetrack::testing::tensors_close;

struct ValueAndGrad {
    torch::Tensor y, dx;
};

// y = f(x) and d(Σ y·g)/dx for a fixed upstream gradient g.
template <typename F>
ValueAndGrad value_and_grad(F f, const torch::Tensor& x0, const torch::Tensor& g) {
    const torch::Tensor x = x0.detach().clone().requires_grad_(true);
    const torch::Tensor y = f(x);
    y.backward(g);
    return {y.detach(), x.grad()};
}

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
    torch::manual_seed(4);
    const torch::Tensor base = torch::randn({12, 40}, torch::kFloat64);
    const torch::Tensor x = base.t();  // non-contiguous
    const torch::Tensor g = torch::randn({80, 12}, torch::kFloat64).slice(0, 0, 80, 2);
    const ValueAndGrad ref = value_and_grad(reference, x, g);
    const ValueAndGrad got = value_and_grad(relu_square, x, g);
    EXPECT_TRUE(tensors_close(ref.y, got.y, 1e-28));
    EXPECT_TRUE(tensors_close(ref.dx, got.dx, 1e-28));
}

TEST(ReluSquare, GradientMatchesCentralFiniteDifferences) {
    torch::manual_seed(5);
    // Away from the kink at 0, where the finite difference would straddle it.
    torch::Tensor x = torch::randn({64}, torch::kFloat64);
    x = x + x.sign() * 0.1;
    const torch::Tensor g = torch::randn_like(x);
    const torch::Tensor dx = value_and_grad(relu_square, x, g).dx;
    const double h = 1e-6;
    for (int64_t i = 0; i < x.numel(); ++i) {
        torch::Tensor up = x.clone(), down = x.clone();
        up[i] += h;
        down[i] -= h;
        const double fd =
            ((relu_square(up) - relu_square(down)) * g).sum().item<double>() / (2 * h);
        EXPECT_NEAR(dx[i].item<double>(), fd, 1e-7 * (1 + std::abs(fd))) << "element " << i;
    }
}

TEST(ReluSquare, Bfloat16TakesTheReferencePath) {
    torch::manual_seed(6);
    const torch::Tensor x = torch::randn({5, 8}).to(torch::kBFloat16);
    const torch::Tensor g = torch::randn({5, 8}).to(torch::kBFloat16);
    const ValueAndGrad ref = value_and_grad(reference, x, g);
    const ValueAndGrad got = value_and_grad(relu_square, x, g);
    EXPECT_EQ(got.y.scalar_type(), torch::kBFloat16);
    EXPECT_TRUE(torch::equal(got.y, ref.y));
    EXPECT_TRUE(torch::equal(got.dx, ref.dx));
}

TEST(ReluSquare, DoubleBackwardIsAClearError) {
    const torch::Tensor x = torch::randn({4}, torch::kFloat64).requires_grad_(true);
    const torch::Tensor y = relu_square(x).sum();
    try {
        torch::autograd::grad({y}, {x}, {}, /*retain_graph=*/true, /*create_graph=*/true);
        FAIL() << "create_graph through relu_square did not throw";
    } catch (const c10::Error& e) {
        EXPECT_NE(std::string(e.what()).find("double backward"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace statetrack::kernels
