// ReLU², the channel mix's activation y = max(x, 0)², as raw loops over n contiguous elements
// (torch-free; kernels/relu_square.h is the differentiable op over them).
//   forward:  y[i]  = max(x[i], 0)²
//   backward: dx[i] = dy[i] · 2·max(x[i], 0)
// Defined for float and double. The readable reference is torch::relu(x).square(), which the
// op's tests compare against (tests/kernels/relu_square_test.cpp).
#pragma once

#include <cstdint>

namespace statetrack::kernels {

template <typename T>
void relu_square_forward_cpu(const T* x, T* y, int64_t n);

template <typename T>
void relu_square_backward_cpu(const T* x, const T* dy, T* dx, int64_t n);

}  // namespace statetrack::kernels
