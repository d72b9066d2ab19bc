// ReLU², the channel mix's activation y = max(x, 0)², as raw loops over n contiguous elements
// (torch-free; kernels/relu_square.h is the differentiable op over them).
//   forward:         y[i] = max(x[i], 0)²
//   with_derivative: y[i] as forward, d[i] = 2·max(x[i], 0) (the backward is dx = dy·d)
// Defined for float and double. The readable reference is torch::relu(x).square(), which the
// op's tests compare against (tests/kernels/relu_square_test.cpp).
#pragma once

#include <cstdint>

namespace statetrack::kernels {

template <typename T>
void relu_square_forward_cpu(const T* x, T* y, int64_t n);

template <typename T>
void relu_square_with_derivative_cpu(const T* x, T* y, T* d, int64_t n);

}  // namespace statetrack::kernels
