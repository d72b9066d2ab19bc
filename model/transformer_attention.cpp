// Multi-head self-attention with a KV cache (see transformer_attention.h).
#include "model/transformer_attention.h"

#include <cmath>
#include <limits>

#include "kernels/linear.h"

namespace statetrack::model {

TransformerAttentionImpl::TransformerAttentionImpl(int64_t d_model, int64_t n_heads, double dropout)
    : n_heads_(n_heads), head_size_(d_model / n_heads), dropout_(dropout) {
    TORCH_CHECK(n_heads >= 1 && d_model % n_heads == 0, "attention: d_model ", d_model,
                " must be a multiple of n_heads ", n_heads);
    qkv = register_module("qkv", torch::nn::Linear(d_model, 3 * d_model));
    out = register_module("out", torch::nn::Linear(d_model, d_model));
}

torch::Tensor TransformerAttentionImpl::forward(const torch::Tensor& x,
                                                const AttentionPositions& positions,
                                                TransformerKvCache* cache) {
    TORCH_CHECK(x.dim() == 3, "attention: x must be (B, T, C), got ", x.sizes());
    const int64_t B = x.size(0);
    const int64_t T = x.size(1);
    const int64_t C = x.size(2);
    // (B, T, 3, H, N) -> (3, B, H, T, N)
    const torch::Tensor qkv_heads = kernels::linear(x, qkv->weight, qkv->bias)
                                        .view({B, T, 3, n_heads_, head_size_})
                                        .permute({2, 0, 3, 1, 4});
    torch::Tensor q = qkv_heads[0];
    torch::Tensor k = qkv_heads[1];
    torch::Tensor v = qkv_heads[2];
    if (positions.rotary) {
        q = rope_rotate(q, positions.rope);
        k = rope_rotate(k, positions.rope);
    }
    if (cache != nullptr) {
        TORCH_CHECK(cache->k.defined() && cache->k.size(2) == positions.start &&
                        cache->k.size(0) == B && cache->v.sizes() == cache->k.sizes(),
                    "attention: the cache must hold (", B, ", H, ", positions.start,
                    ", N) keys and values");
        k = torch::cat({cache->k, k}, 2);
        v = torch::cat({cache->v, v}, 2);
        cache->k = k;
        cache->v = v;
    } else {
        TORCH_CHECK(positions.start == 0, "attention: a chunk at position ", positions.start,
                    " needs the cache of the positions before it");
    }
    torch::Tensor scores =
        torch::matmul(q, k.transpose(-2, -1)) / std::sqrt(static_cast<double>(head_size_));
    if (positions.bias.defined()) {
        scores = scores + positions.bias;  // (H or 1, T, Tk) broadcasts over B
    }
    torch::Tensor probs = torch::softmax(scores, -1);
    probs = torch::dropout(probs, dropout_, is_training());
    const torch::Tensor y = torch::matmul(probs, v).transpose(1, 2).reshape({B, T, C});
    return kernels::linear(y, out->weight, out->bias);
}

torch::Tensor causal_mask_bias(int64_t start, int64_t count, int64_t key_count,
                               const torch::TensorOptions& options) {
    const auto long_options = torch::TensorOptions().dtype(torch::kLong);
    const torch::Tensor query = torch::arange(start, start + count, long_options).unsqueeze(1);
    const torch::Tensor key = torch::arange(key_count, long_options).unsqueeze(0);
    return torch::zeros({1, count, key_count}, options)
        .masked_fill((key > query).unsqueeze(0).to(options.device()),
                     -std::numeric_limits<double>::infinity());
}

}  // namespace statetrack::model
