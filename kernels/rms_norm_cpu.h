// RMS norm over the last dimension as raw loops (torch-free; kernels/rms_norm.h is the
// differentiable op over them). With r = 1/sqrt(mean(x²) + eps) per row and x̂ = x·r,
// out = x̂ ⊙ weight; given dout, dx = r·(g − x̂·Σ(g ⊙ x̂)/C), g = dout ⊙ weight, and
// dweight = Σ over rows of dout ⊙ x̂. x out dout dx (rows, C), weight dweight (C), rstd (rows)
// = r, written by the forward and read by the backward. Defined for float and double.
#pragma once

#include <cstdint>

namespace statetrack::kernels {

struct RmsNormShape {
    int64_t rows = 0, C = 0;
    double eps = 0.0;
};

template <typename T>
void rms_norm_forward_cpu(const RmsNormShape& s, const T* x, const T* weight, T* out, T* rstd);

template <typename T>
void rms_norm_backward_cpu(const RmsNormShape& s, const T* x, const T* weight, const T* rstd,
                           const T* dout, T* dx, T* dweight);

}  // namespace statetrack::kernels
