// rwkv7_projections: the RWKV-7 time mix's matrix products as one differentiable op. From the
// six token-shift mixes it makes the receptance, key and value projections and the outputs of
// the decay, in-context-learning-rate, value-residual and gate LoRAs (docs/rwkv7.md §3):
//   r = xr W_rᵀ   k = xk W_kᵀ   v = xv W_vᵀ           (W_* are Linear weights, (out, in))
//   d_lora = tanh(xw w1) w2   a_lora = xa a1 a2   v_lora = xv v1 v2   gate = sigmoid(xg g1) g2
// As torch ops (rwkv7_projections_reference, the readable form and the tests' oracle) that is
// 13 matrix products plus the reshapes, transposes and activations around them, about 40
// autograd nodes with their bookkeeping; here it is one node whose backward issues the 24
// products directly, through kernels::small_mm (kernels/small_gemm.h). Where that runs at::mm
// (no AVX2, float64) the results are the reference's bit for bit; its own kernel rounds the
// long sums of the weight gradients differently from OpenBLAS.
// Shapes: x* (B,T,C); W_r W_k W_v (C,C); w1 a1 v1 g1 (C,D*); w2 a2 v2 g2 (D*,C); v1 and v2 are
// undefined where the value residual is off (layer 0, or the ablation), and so is v_lora.
// Returns (B,T,C) tensors. CPU tensors of one floating dtype outside bf16 autocast take the
// fused op; anything else (CUDA, autocast) runs the reference. Double backward is not supported
// on the fused path (a clear error).
#pragma once

#include <torch/torch.h>

namespace statetrack::model {

struct Rwkv7ProjectionInputs {
    torch::Tensor xr, xw, xk, xv, xa, xg;  // the token-shift mixes
    torch::Tensor w_r, w_k, w_v;           // receptance, key and value Linear weights
    torch::Tensor w1, w2, a1, a2, v1, v2, g1, g2;
};

struct Rwkv7Projections {
    torch::Tensor r, k, v, d_lora, a_lora, v_lora, gate;
};

Rwkv7Projections rwkv7_projections(const Rwkv7ProjectionInputs& in);

Rwkv7Projections rwkv7_projections_reference(const Rwkv7ProjectionInputs& in);

}  // namespace statetrack::model
