// The fused RWKV-7 step: one token for B sequences through every layer in one pass over the
// weights, in float32 with plain loops (no torch). It computes exactly what Rwkv7Model::step
// computes with a chain of LibTorch ops (the reference, model/rwkv7_model.h), in a different
// order of float additions; tests/model/rwkv7_fused_step_test.cpp compares the two.
// Contract:
//  - Weights are float32 and contiguous. Matrices that multiply from the right are stored
//    [in][out] (row = input feature): receptance/key/value/output and the channel mix's
//    key/value as the transpose of their torch::nn::Linear weight, the head as head.weightᵀ;
//    the LoRA factors w1 w2 a1 a2 v1 v2 g1 g2 are already [in][out].
//  - The state is RWKV-LM's (docs/rwkv7.md §8): per layer att_x_prev (B,C), wkv (B,H,N,N) with
//    S[i][j], i = value index, j = key index, and ffn_x_prev (B,C); it is updated in place.
//  - Sequences are independent: a caller may split B into slices and run them in parallel.
// Shapes: B batch, C = H·N, H heads, N head size, F channel-mix width, V vocab,
// Dw Da Dv Dg the LoRA widths.
#pragma once

#include <cstdint>
#include <vector>

namespace statetrack::model {

struct Rwkv7StepLayerWeights {
    const float* ln0_weight = nullptr;  // (C), layer 0 only (null elsewhere)
    const float* ln0_bias = nullptr;
    const float* ln1_weight = nullptr;  // (C)
    const float* ln1_bias = nullptr;
    const float* ln2_weight = nullptr;
    const float* ln2_bias = nullptr;
    const float* x_r = nullptr;  // token-shift mixes μ, (C) each
    const float* x_w = nullptr;
    const float* x_k = nullptr;
    const float* x_v = nullptr;
    const float* x_a = nullptr;
    const float* x_g = nullptr;
    const float* w0 = nullptr;  // (C)
    const float* w1 = nullptr;  // (C,Dw)
    const float* w2 = nullptr;  // (Dw,C)
    const float* a0 = nullptr;  // (C)
    const float* a1 = nullptr;  // (C,Da)
    const float* a2 = nullptr;  // (Da,C)
    const float* v0 = nullptr;  // (C); v0 v1 v2 unused in layer 0
    const float* v1 = nullptr;  // (C,Dv)
    const float* v2 = nullptr;  // (Dv,C)
    const float* g1 = nullptr;  // (C,Dg)
    const float* g2 = nullptr;  // (Dg,C)
    const float* k_k = nullptr;  // (C)
    const float* k_a = nullptr;  // (C)
    const float* r_k = nullptr;  // (H,N)
    const float* receptance = nullptr;  // (C,C) [in][out]
    const float* key = nullptr;
    const float* value = nullptr;
    const float* output = nullptr;
    const float* ln_x_weight = nullptr;  // (C), GroupNorm over H groups
    const float* ln_x_bias = nullptr;
    const float* ffn_x_k = nullptr;    // (C)
    const float* ffn_key = nullptr;    // (C,F) [in][out]
    const float* ffn_value = nullptr;  // (F,C) [in][out]
};

// The sizes and the ablation switches of Rwkv7Config (model/rwkv7_config.h).
struct Rwkv7StepShape {
    int64_t vocab_size = 0;
    int64_t d_model = 0;    // C
    int64_t n_heads = 0;    // H
    int64_t head_size = 0;  // N
    int64_t d_ffn = 0;      // F
    int64_t dim_w = 0, dim_a = 0, dim_v = 0, dim_g = 0;
    bool diagonal_transition = false;
    bool extended_eigenvalues = false;
    bool value_residual = true;
    bool bonus = true;
    bool decay_clamp = true;
};

struct Rwkv7StepWeights {
    Rwkv7StepShape shape;
    const float* emb = nullptr;  // (V,C)
    std::vector<Rwkv7StepLayerWeights> layers;
    const float* ln_out_weight = nullptr;  // (C)
    const float* ln_out_bias = nullptr;
    const float* head = nullptr;  // (C,V) [in][out]
};

// One layer's state for the B sequences of a call, updated in place.
struct Rwkv7StepLayerState {
    float* att_x_prev = nullptr;  // (B,C)
    float* wkv = nullptr;         // (B,H,N,N)
    float* ffn_x_prev = nullptr;  // (B,C)
};

// tokens (B) in [0, V); state: one entry per layer; logits (B,V) written.
void rwkv7_step_kernel(const Rwkv7StepWeights& weights, const int64_t* tokens, int64_t batch,
                       const std::vector<Rwkv7StepLayerState>& state, float* logits);

}  // namespace statetrack::model
