// Multi-head softmax attention over a fused qkv projection, as raw CPU loops (torch-free; the
// differentiable op over them is model/transformer_attention_core.h). Shapes and layouts, all
// contiguous, with C = H·N:
//   qkv   (B, T, 3, H, N)  the qkv Linear's output: q, k, v of head h at [b, t, j, h, :]
//   bias  (Hb, T, T)       added to the scores (causal mask as -inf, ALiBi), Hb = 1 or H, or null
//   y     (B, T, C)        the heads' outputs side by side, the out Linear's input
//   probs (B, H, T, Tp)    the softmax probabilities, written forward and read backward; rows
//                          padded with zeros to Tp = attention_probs_stride(T) (a multiple of 16)
// Per (b, h): S = scale·Q Kᵀ + bias, P = softmax(S) over keys, y = P V. Backward from dy
// (B, T, C) into dqkv (B, T, 3, H, N), fully written:
//   dV = Pᵀ dy,  dP = dy Vᵀ,  dS = P ⊙ (dP − rowsum(P ⊙ dP)),  dQ = scale·dS K,  dK = scale·dSᵀ Q.
// A query row whose bias is -inf for every key gets zero output and probabilities (softmax
// would give NaN; the causal mask never does this).
// RoPE is a separate pass, rope_qk_cpu: q and k of every head at position t, pair i = (x[2i],
// x[2i+1]), rotated by the angle whose cos/sin are [t, i] of the (T, N/2) tables (direction -1:
// rotated back, the transpose, which maps gradients of rotated q, k to gradients of q, k); v is
// copied when out is not in (in place allowed). The (b, h) pairs split over LibTorch's intra-op
// threads; each pair's sums run in a fixed order, so results do not depend on the thread count.
// Defined for float and double. Readable reference: transformer_attention_core_reference (torch
// ops), which the tests compare against.
#pragma once

#include <cstdint>

namespace statetrack::kernels {

template <typename S>
struct AttentionParams {
    int64_t B = 0, T = 0, H = 0, N = 0;
    S scale = 1;
    const S* qkv = nullptr;
    const S* bias = nullptr;  // (bias_heads, T, T) or null
    int64_t bias_heads = 1;
    S* probs = nullptr;  // (B, H, T, attention_probs_stride(T))
};

// The row length of probs: T rounded up to whole vectors, so the loops over keys need no tails.
int64_t attention_probs_stride(int64_t T);

// Writes y (B, T, C) and p.probs.
template <typename S>
void attention_forward_cpu(const AttentionParams<S>& p, S* y);

// Reads p.probs (from the forward) and dy (B, T, C); writes dqkv (B, T, 3C).
template <typename S>
void attention_backward_cpu(const AttentionParams<S>& p, const S* dy, S* dqkv);

template <typename S>
void rope_qk_cpu(const S* in, S* out, int64_t B, int64_t T, int64_t H, int64_t N, const S* cos,
                 const S* sin, int direction);

}  // namespace statetrack::kernels
