// GELU with the exact normal CDF, torch::gelu's default (approximate "none"), as raw loops over
// n contiguous elements (torch-free; kernels/gelu.h is the differentiable op over them).
//   forward:  y[i]  = x·Φ(x),                 Φ(x) = ½·erfc(−x/√2)
//   backward: dx[i] = dy[i]·(Φ(x) + x·φ(x)),  φ(x) = e^{−x²/2}/√(2π)
// double: std::erfc and std::exp. float: erfc by the Chebyshev fit of Numerical Recipes' erfcc,
// erfc(z) = t·exp(−z² + P(t)) with t = 1/(1 + z/2) for z ≥ 0 (fractional error < 1.2e-7
// everywhere, so Φ keeps its relative accuracy in the negative tail too) and
// kernels/exp_approx.h, so the loops vectorise; LibTorch's float GELU is oneDNN's JIT kernel,
// built anew for every input shape. The readable reference is torch::gelu, which the op's tests
// compare against (tests/kernels/gelu_test.cpp).
#pragma once

#include <cstdint>

namespace statetrack::kernels {

template <typename T>
void gelu_forward_cpu(const T* x, T* y, int64_t n);

template <typename T>
void gelu_backward_cpu(const T* x, const T* dy, T* dx, int64_t n);

}  // namespace statetrack::kernels
