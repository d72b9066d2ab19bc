// The WKV7 op: RWKV-7's generalised delta-rule recurrence. wkv7() is the one entry point model
// code calls; every implementation (float64 reference, CPU kernel, CUDA kernels) follows this
// contract.
//
// Shapes: B batch, T steps (T >= 1), H heads, N head size.
// Per (b, h) the state S is N×N, S[i][j] with i = value index and j = key index (RWKV-LM's
// layout; fla's state is the transpose). Writing x_t for x[b, t, h, :], for t = 0 .. T-1:
//   sa_i     = Σ_j a_t[j] · S[i][j]
//   S[i][j] ← S[i][j] · w_t[j] + sa_i · b_t[j] + v_t[i] · k_t[j]
//   y_t[i]   = Σ_j S[i][j] · r_t[j]
// i.e. S_t = S_{t-1}·(diag(w_t) + a_t b_tᵀ) + v_t k_tᵀ and y_t = S_t r_t, from S_{-1} = state0
// (zeros when absent). RWKV-7 calls it with a = −κ̂, b = κ̂·α (κ̂ the L2-normalised removal key,
// α ∈ (0,1) the in-context learning rate), k the replacement key.
//
// Decay convention: w is the decay itself, the per-key-channel multiplier, normally in (0, 1];
// not its log, not RWKV-LM's log-log kernel input, not the raw LoRA output. The model applies
// its own transform in torch ops (RWKV-7: w = exp(−e^{−0.5}·sigmoid(d)) ∈ (0.545, 1)), so
// autograd covers it. The kernels never divide by w, so decays near 0 (1e-4) are as accurate
// as decays near 1 (1 − 1e-6); the range is not checked (any real w is computed as written).
//
// Inputs r, w, k, v, a, b: (B, T, H, N), one dtype and one device; any strides (they are made
// contiguous at the boundary). CPU: float32 or float64, N a positive multiple of 16 (16, 32, 64,
// 128, ...). CUDA: float32 or bfloat16 (state and accumulation in fp32), N ∈ {16, 32, 64, 128};
// CUDA tensors need a LibTorch with CUDA at build time (STATETRACK_WITH_CUDA, kernels/cuda/).
// state0: optional (B, H, N, N), any floating dtype (cast to the state dtype).
// Returns (y, state_final): y (B, T, H, N) in the inputs' dtype; state_final (B, H, N, N) in the
// state dtype, float32 (float64 for float64 inputs): the state is never kept below fp32.
// Differentiable w.r.t. r, w, k, v, a, b and state0, with gradients flowing in through y AND
// state_final, so a long sequence can be trained in chunks that pass the state along. The
// backward recomputes the states from checkpoints taken every kWkv7ChunkLen steps
// (wkv7_params.h). Double backward is not supported (a clear error).
// Bad arguments raise c10::Error (TORCH_CHECK) with a message naming the argument.
#pragma once

#include <torch/torch.h>

#include <tuple>

namespace statetrack::kernels {

std::tuple<torch::Tensor, torch::Tensor> wkv7(const torch::Tensor& r, const torch::Tensor& w,
                                              const torch::Tensor& k, const torch::Tensor& v,
                                              const torch::Tensor& a, const torch::Tensor& b,
                                              const c10::optional<torch::Tensor>& state0 = {});

// The dtype wkv7 keeps (and returns) the state in for inputs of dtype `input`.
torch::ScalarType wkv7_state_dtype(torch::ScalarType input);

}  // namespace statetrack::kernels
