// The core of the Transformer's attention between its two Linears, as one differentiable op:
// split the qkv projection into heads, rotate q and k (RoPE), scores q·kᵀ/√N plus the bias,
// softmax over keys, the probabilities times v, the heads side by side again. As torch ops
// (transformer_attention_core_reference, the readable form and the tests' oracle) that is ~20
// ops forward and ~30 backward, which at the quick experiment's shapes (T ≤ 40, heads of 16) cost
// more than their arithmetic; here one autograd node over raw loops (kernels/attention_cpu.h).
// Shapes: qkv (B, T, 3C) = the qkv Linear's output, C = H·N; rope tables (T, N/2) each when
// rotary; bias (H or 1, T, T) or undefined; returns (B, T, C). Without a cache only: queries and
// keys are the same T positions. Gradients flow to qkv; the tables and the bias are constants
// (an error if they require a gradient). CPU float32/float64 inputs of one dtype outside autocast
// take the loops, anything else the reference. Double backward is not supported on the loop path
// (a clear error).
#pragma once

#include <torch/torch.h>

#include <cstdint>

#include "model/positional_encoding.h"

namespace statetrack::model {

struct AttentionCoreInputs {
    torch::Tensor qkv;  // (B, T, 3C)
    int64_t heads = 1;
    const RopeTables* rope = nullptr;  // null: no rotation
    torch::Tensor bias;                // (H or 1, T, T), or undefined
};

torch::Tensor transformer_attention_core(const AttentionCoreInputs& in);

torch::Tensor transformer_attention_core_reference(const AttentionCoreInputs& in);

// The reference's two halves, which the KV-cached path (transformer_attention.h) runs with its
// cache spliced between them: the qkv output split into heads (B, H, T, N) each, q and k rotated
// when `rope` is given; then softmax(q·kᵀ/√N + bias) with dropout p on the probabilities (when
// p > 0) times v, the heads side by side again: (B, Tq, C).
struct AttentionHeads {
    torch::Tensor q, k, v;
};
AttentionHeads split_attention_heads(const torch::Tensor& qkv, int64_t heads,
                                     const RopeTables* rope);
torch::Tensor attend(const AttentionHeads& heads, const torch::Tensor& bias, double dropout = 0.0);

}  // namespace statetrack::model
