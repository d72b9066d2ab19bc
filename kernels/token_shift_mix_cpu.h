// RWKV-7's token-shift mixes as raw loops (torch-free; kernels/token_shift_mix.h is the
// differentiable op over them). Shapes: B batch, T steps, C channels, K mixes; every array is
// contiguous row-major.
//   x (B,T,C), x_prev (B,C) the token before x[:,0], mu (K,C), out[k] (B,T,C) for k < K:
//   prev[b,t] = t > 0 ? x[b,t-1] : x_prev[b]
//   out[k][b,t,c] = x[b,t,c] + (prev[b,t,c] − x[b,t,c]) · mu[k,c]     (lerp toward the past)
// The backward takes grad[k] (B,T,C), null for a mix whose gradient is zero, and writes
//   dx (B,T,C), dx_prev (B,C), dmu (K,C) (dmu summed over t in T per sequence, over b in
//   double).
// Defined for float and double.
#pragma once

#include <cstdint>

namespace statetrack::kernels {

struct TokenShiftMixShape {
    int64_t B = 0, T = 0, C = 0, K = 0;
};

template <typename T>
void token_shift_mix_forward_cpu(const TokenShiftMixShape& s, const T* x, const T* x_prev,
                                 const T* mu, T* const* out);

template <typename T>
void token_shift_mix_backward_cpu(const TokenShiftMixShape& s, const T* x, const T* x_prev,
                                  const T* mu, const T* const* grad, T* dx, T* dx_prev, T* dmu);

}  // namespace statetrack::kernels
