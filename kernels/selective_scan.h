// The selective-scan op: the diagonal, input-dependent linear recurrence of Mamba's S6 layer
// (Gu & Dao 2023). selective_scan() is the one entry point model code calls; every
// implementation (float64 reference, CPU kernel) follows this contract.
//
// Shapes: B batch, T steps (T >= 1), D channels, S state size per channel.
// Per (b, d, s), writing x_t for x[b, t, ...], for t = 0 .. T-1, from h_{-1} = h0 (zeros when
// absent):
//   a_t      = exp(delta_t[d]·A[d,s])            eigenvalue in (0, 1) for A < 0
//   a_t      = 2·exp(delta_t[d]·A[d,s]) − 1      when negative_eigenvalues: range (−1, 1), Grazzi
//                                                et al. 2025's "positive_and_negative" Mamba
//   h_t[d,s] = a_t·h_{t−1}[d,s] + delta_t[d]·Bm_t[s]·u_t[d]
//   y_t[d]   = Σ_s Cm_t[s]·h_t[d,s] + Dskip[d]·u_t[d]
// The state is diagonal: each (d, s) is a scalar recurrence, which puts the layer in TC0
// (Merrill et al. 2024); with eigenvalues in [0, 1) it cannot count mod 2 at finite precision,
// with the negative range it can (Grazzi et al. 2025).
//
// Inputs u, delta (B, T, D); A (D, S); Bm, Cm (B, T, S); Dskip (D); h0 optional (B, D, S).
// delta is used as given (the model applies softplus; its sign is not checked); A is real,
// normally negative. One dtype for all inputs, float32 or float64, on the CPU (the SIMD kernel)
// or CUDA (no CUDA kernel yet: the torch-op reference of selective_scan_reference.h runs on the
// GPU, differentiated by autograd, and the first call says so on stderr); h0 may be any
// floating dtype (cast, differentiably, to the inputs' dtype); any strides (made contiguous at
// the boundary). The state and every accumulation are kept in the inputs' dtype, so never
// below fp32.
// Returns (y (B, T, D), h_final (B, D, S)), both in the inputs' dtype.
// Differentiable w.r.t. u, delta, A, Bm, Cm, Dskip and h0, with gradients flowing in through
// y AND h_final (so a long sequence can be trained in chunks that pass the state along).
// Double backward is not supported (a clear error).
//
// Backward memory: checkpoint + recompute, as wkv7. The forward keeps h every
// kSelectiveScanChunkLen = 16 steps (B·D·S·T/16 values, the size of u for S = 16) and the
// backward replays one chunk at a time from its checkpoint. Storing h at every step would cost
// B·T·D·S values: 268 MB in float32 at B=8, T=2048, D=256, S=16, i.e. 16× the activations the
// model keeps for u, and more memory traffic than the recompute it saves (the replay costs one
// forward's exps per backward, on data that stays in L1/L2). The kernels never divide by a_t,
// so eigenvalues near 0 (and exactly 0) are handled exactly.
// Bad arguments raise c10::Error (TORCH_CHECK) with a message naming the argument.
#pragma once

#include <torch/torch.h>

#include <tuple>

namespace statetrack::kernels {

std::tuple<torch::Tensor, torch::Tensor> selective_scan(
    const torch::Tensor& u, const torch::Tensor& delta, const torch::Tensor& A,
    const torch::Tensor& Bm, const torch::Tensor& Cm, const torch::Tensor& Dskip,
    const c10::optional<torch::Tensor>& h0 = {}, bool negative_eigenvalues = false);

}  // namespace statetrack::kernels
