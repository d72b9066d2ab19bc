// Causal depthwise convolution over time as raw loops (torch-free; kernels/causal_conv.h is the
// differentiable op over them). x y dy dx (B, T, E), weight dweight (E, K), bias dbias (E):
//   y[b,t,e] = bias[e] + Σ_k weight[e,k] · x[b, t − (K−1) + k, e],  x before t = 0 read as 0.
// The backward writes dx, dweight and dbias in full. Defined for float and double.
#pragma once

#include <cstdint>

namespace statetrack::kernels {

struct CausalConvShape {
    int64_t B = 0, T = 0, E = 0, K = 0;
};

template <typename S>
void causal_conv_forward_cpu(const CausalConvShape& s, const S* x, const S* weight, const S* bias,
                             S* y);

template <typename S>
void causal_conv_backward_cpu(const CausalConvShape& s, const S* x, const S* weight, const S* dy,
                              S* dx, S* dweight, S* dbias);

}  // namespace statetrack::kernels
