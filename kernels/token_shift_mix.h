// token_shift_mix(x, x_prev, mu): RWKV-7's K token-shift lerps of one input as one
// differentiable op. Shapes: x (B,T,C), x_prev (B,C) the token before x[:,0] (the carried
// state), mu (K,C). Returns K tensors (B,T,C), contiguous:
//   out[k] = x + (shift(x) − x)·mu[k],   shift(x)[:,0] = x_prev, shift(x)[:,t] = x[:,t-1]
// Differentiable w.r.t. x, x_prev and mu. The time mix calls it with K = 6 (r, w, k, v, a, g),
// the channel mix with K = 1. As separate torch ops that is a cat, a sub and K muls and adds
// forward, about four times as many backward; here one loop each way
// (kernels/token_shift_mix_cpu.h), and a mix whose output gets no gradient costs nothing.
// CPU tensors of one dtype, float32 or float64, take the loops; anything else (bf16, CUDA,
// mixed dtypes) runs token_shift_mix_reference, the same formula in torch ops, which the tests
// compare against. Double backward is not supported on the loop path (a clear error).
#pragma once

#include <torch/torch.h>

#include <vector>

namespace statetrack::kernels {

std::vector<torch::Tensor> token_shift_mix(const torch::Tensor& x, const torch::Tensor& x_prev,
                                           const torch::Tensor& mu);

std::vector<torch::Tensor> token_shift_mix_reference(const torch::Tensor& x,
                                                     const torch::Tensor& x_prev,
                                                     const torch::Tensor& mu);

}  // namespace statetrack::kernels
