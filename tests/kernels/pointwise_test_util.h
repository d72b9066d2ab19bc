// Checks shared by the tests of the elementwise ops on kernels/pointwise_function.h
// (relu_square_test.cpp, gelu_test.cpp). Each takes the op and its reference as callables
// Tensor(const Tensor&):
// - value_and_grad(f, x, g): y = f(x) and d(Σ y·g)/dx;
// - expect_strided_inputs_match(op, ref): a transposed input and a strided gradient in float64;
// - expect_finite_differences_match(op, x): the float64 gradient against central differences
//   (x away from any kink);
// - expect_bf16_takes_reference(op, ref): bf16 gives exactly the reference's values and gradient;
// - expect_double_backward_error(op, name): create_graph through the op is "<name>: double
//   backward" error.
#pragma once

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <string>

#include "tests/testing/tensor_compare.h"

namespace statetrack::kernels::testing {

struct ValueAndGrad {
    torch::Tensor y, dx;
};

template <typename F>
ValueAndGrad value_and_grad(F f, const torch::Tensor& x0, const torch::Tensor& g) {
    const torch::Tensor x = x0.detach().clone().requires_grad_(true);
    const torch::Tensor y = f(x);
    y.backward(g);
    return {y.detach(), x.grad()};
}

template <typename Op, typename Ref>
void expect_strided_inputs_match(Op op, Ref ref) {
    torch::manual_seed(4);
    const torch::Tensor x = torch::randn({12, 40}, torch::kFloat64).t();  // non-contiguous
    const torch::Tensor g = torch::randn({80, 12}, torch::kFloat64).slice(0, 0, 80, 2);
    const ValueAndGrad want = value_and_grad(ref, x, g);
    const ValueAndGrad got = value_and_grad(op, x, g);
    EXPECT_TRUE(statetrack::testing::tensors_close(want.y, got.y, 1e-28));
    EXPECT_TRUE(statetrack::testing::tensors_close(want.dx, got.dx, 1e-28));
}

template <typename Op>
void expect_finite_differences_match(Op op, const torch::Tensor& x) {
    const torch::Tensor g = torch::randn_like(x);
    const torch::Tensor dx = value_and_grad(op, x, g).dx;
    const double h = 1e-6;
    for (int64_t i = 0; i < x.numel(); ++i) {
        torch::Tensor up = x.clone(), down = x.clone();
        up[i] += h;
        down[i] -= h;
        const double fd = ((op(up) - op(down)) * g).sum().template item<double>() / (2 * h);
        EXPECT_NEAR(dx[i].template item<double>(), fd, 1e-7 * (1 + std::abs(fd)))
            << "element " << i;
    }
}

template <typename Op, typename Ref>
void expect_bf16_takes_reference(Op op, Ref ref) {
    torch::manual_seed(6);
    const torch::Tensor x = torch::randn({5, 8}).to(torch::kBFloat16);
    const torch::Tensor g = torch::randn({5, 8}).to(torch::kBFloat16);
    const ValueAndGrad want = value_and_grad(ref, x, g);
    const ValueAndGrad got = value_and_grad(op, x, g);
    EXPECT_EQ(got.y.scalar_type(), torch::kBFloat16);
    EXPECT_TRUE(torch::equal(got.y, want.y));
    EXPECT_TRUE(torch::equal(got.dx, want.dx));
}

template <typename Op>
void expect_double_backward_error(Op op, const std::string& name) {
    const torch::Tensor x = torch::randn({4}, torch::kFloat64).requires_grad_(true);
    const torch::Tensor y = op(x).sum();
    try {
        torch::autograd::grad({y}, {x}, {}, /*retain_graph=*/true, /*create_graph=*/true);
        ADD_FAILURE() << "create_graph through " << name << " did not throw";
    } catch (const c10::Error& e) {
        EXPECT_NE(std::string(e.what()).find(name + ": double backward"), std::string::npos)
            << e.what();
    }
}

}  // namespace statetrack::kernels::testing
