// Multi-head self-attention with a KV cache, for the Transformer baseline (transformer_model.h).
//   qkv: Linear(C, 3C) with bias -> q, k, v split into H heads of N; scores q·kᵀ/√N (+ bias),
//   softmax over keys, dropout on the probabilities (training mode only), out: Linear(C, C).
// The chunk's queries sit at absolute positions start .. start+T-1, where start = the number of
// keys already in the cache (0 without one); its keys and values are appended to the cache and
// the queries attend over all cached keys. Positions enter through AttentionPositions, built once
// per model call: RoPE rotates q and k (the cache holds rotated keys), and `bias` carries the
// causal mask (-inf) and/or ALiBi. So T cached steps compute the same scores, row by row, as one
// parallel pass. Without a cache (and without dropout in training) the part between the two
// Linears is one fused node (transformer_attention_core.h); the cached path and dropout run its
// torch-ops reference with the cache spliced in, so both forms agree to rounding (tested).
// Shapes: B batch, T chunk length, Tk = start + T keys, C = d_model = H·N.
//   x (B, T, C) -> (B, T, C);  cache k, v: (B, H, Tk, N);  bias: (H or 1, T, Tk), added to scores
#pragma once

#include <torch/torch.h>

#include <cstdint>

#include "model/positional_encoding.h"

namespace statetrack::model {

// The keys and values of all positions seen so far, for one layer.
struct TransformerKvCache {
    torch::Tensor k;  // (B, H, Tk, N), RoPE already applied
    torch::Tensor v;  // (B, H, Tk, N)
};

// What the positional encoding and the mask contribute to one call, shared by every layer.
struct AttentionPositions {
    int64_t start = 0;  // absolute position of the chunk's first query
    bool rotary = false;
    RopeTables rope;     // (T, N/2) each, when rotary
    torch::Tensor bias;  // (H or 1, T, Tk), or undefined for none (bidirectional, no ALiBi)
};

class TransformerAttentionImpl : public torch::nn::Module {
  public:
    TransformerAttentionImpl(int64_t d_model, int64_t n_heads, double dropout);

    // x: (B, T, C). With a cache, its k/v must hold exactly positions.start positions; they
    // are replaced by the extended ones. Without a cache positions.start must be 0.
    torch::Tensor forward(const torch::Tensor& x, const AttentionPositions& positions,
                          TransformerKvCache* cache = nullptr);

    int64_t n_heads() const { return n_heads_; }
    int64_t head_size() const { return head_size_; }

    torch::nn::Linear qkv{nullptr};
    torch::nn::Linear out{nullptr};

  private:
    int64_t n_heads_;
    int64_t head_size_;
    double dropout_;
};
TORCH_MODULE(TransformerAttention);

// Where keys may not be attended: key j > query i, for queries start .. start+count-1 and keys
// 0 .. key_count-1. (1, count, key_count) with -inf masked and 0 elsewhere.
torch::Tensor causal_mask_bias(int64_t start, int64_t count, int64_t key_count,
                               const torch::TensorOptions& options);

}  // namespace statetrack::model
