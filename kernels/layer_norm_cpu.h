// Layer norm over the last dimension as raw loops (torch-free; kernels/layer_norm.h is the
// differentiable op over them). x out dout dx (rows, C), weight bias dweight dbias (C), stats
// (rows, 2) = mean, rstd per row, written by the forward and read by the backward. The math is
// kernels/norm_rows.h's with one segment per row. Defined for float and double.
#pragma once

#include <cstdint>

namespace statetrack::kernels {

struct LayerNormShape {
    int64_t rows = 0, C = 0;
    double eps = 0.0;
};

template <typename T>
void layer_norm_forward_cpu(const LayerNormShape& s, const T* x, const T* weight, const T* bias,
                            T* out, T* stats);

template <typename T>
void layer_norm_backward_cpu(const LayerNormShape& s, const T* x, const T* weight, const T* stats,
                             const T* dout, T* dx, T* dweight, T* dbias);

}  // namespace statetrack::kernels
