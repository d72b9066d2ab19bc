// rwkv7_wkv_operands: the RWKV-7 time mix's elementwise stage as one differentiable op. From the
// projections (k, v and the decay/ICLR/value-residual LoRA outputs) it makes what the WKV op
// takes: decay, replacement key k̃, value v (after the value residual) and the transition's
// rank-one pair a = −κ̂, b = κ̂ ⊙ iclr (formulas: model/rwkv7_wkv_operands_cpu.h; docs/rwkv7.md
// §3-4). As torch ops (rwkv7_wkv_operands_reference, the readable form and the tests' oracle)
// that is about 25 ops forward and 50 backward, each a pass over (B,T,C); here one loop each
// way.
// Shapes: k v d_lora a_lora v_lora v_first (B,T,C); w0 a0 v0 k_k k_a (1,1,C). v_lora, v_first
// and v0 are undefined where the value residual is off (layer 0, or the ablation). Returns
// (B,T,C) tensors. CPU tensors all float32 or all float64 take the loops; anything else (bf16
// projections under autocast, CUDA) runs the reference. Double backward is not supported on the
// loop path (a clear error); shapes that do not fit the config are a c10::Error naming them.
#pragma once

#include <torch/torch.h>

#include "model/rwkv7_config.h"

namespace statetrack::model {

struct Rwkv7OperandInputs {
    torch::Tensor k, v, d_lora, a_lora, v_lora, v_first;
    torch::Tensor w0, a0, v0, k_k, k_a;
};

struct Rwkv7WkvOperands {
    torch::Tensor decay, k, v;  // k is the replacement key k̃; v after the value residual
    torch::Tensor a, b;         // per head the transition is diag(decay) + a bᵀ
};

Rwkv7WkvOperands rwkv7_wkv_operands(const Rwkv7OperandInputs& in, const Rwkv7Config& config);

Rwkv7WkvOperands rwkv7_wkv_operands_reference(const Rwkv7OperandInputs& in,
                                              const Rwkv7Config& config);

}  // namespace statetrack::model
