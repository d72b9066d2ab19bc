// expect_central_differences(loss, at, grad, stride, tol, name): checks every stride-th element
// of an analytic gradient `grad` of the scalar function loss(t) at t = `at` (float64) against
// the central difference (loss(at + h·e_i) − loss(at − h·e_i)) / 2h, h = 1e-6, to an absolute
// `tol`; a failure names `name` and the flat index. Shared by the op tests that check their
// backward against finite differences (tests/kernels/layer_norm_test.cpp, rms_norm_test.cpp,
// silu_gate_test.cpp).
#pragma once

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace statetrack::testing {

template <typename Loss>
void expect_central_differences(const Loss& loss, const torch::Tensor& at,
                                const torch::Tensor& grad, int64_t stride, double tol,
                                const char* name) {
    const double h = 1e-6;
    for (int64_t i = 0; i < at.numel(); i += stride) {
        torch::Tensor up = at.clone(), down = at.clone();
        up.view(-1)[i] += h;
        down.view(-1)[i] -= h;
        const double fd = (loss(up) - loss(down)) / (2 * h);
        EXPECT_NEAR(grad.reshape(-1)[i].item<double>(), fd, tol) << name << "[" << i << "]";
    }
}

}  // namespace statetrack::testing
