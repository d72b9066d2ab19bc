// Multi-head self-attention with a KV cache (see transformer_attention.h).
#include "model/transformer_attention.h"

#include <cmath>
#include <limits>

#include "kernels/linear.h"
#include "model/transformer_attention_core.h"

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
    const torch::Tensor qkv_out = kernels::linear(x, qkv->weight, qkv->bias);  // (B, T, 3C)
    const RopeTables* rope = positions.rotary ? &positions.rope : nullptr;
    if (cache == nullptr) {
        TORCH_CHECK(positions.start == 0, "attention: a chunk at position ", positions.start,
                    " needs the cache of the positions before it");
        if (dropout_ == 0.0 || !is_training()) {  // one node (transformer_attention_core.h)
            return kernels::linear(
                transformer_attention_core({qkv_out, n_heads_, rope, positions.bias}), out->weight,
                out->bias);
        }
    }
    AttentionHeads heads = split_attention_heads(qkv_out, n_heads_, rope);
    if (cache != nullptr) {
        TORCH_CHECK(cache->k.defined() && cache->k.size(2) == positions.start &&
                        cache->k.size(0) == B && cache->v.sizes() == cache->k.sizes(),
                    "attention: the cache must hold (", B, ", H, ", positions.start,
                    ", N) keys and values");
        heads.k = cache->k = torch::cat({cache->k, heads.k}, 2);
        heads.v = cache->v = torch::cat({cache->v, heads.v}, 2);
    }
    const torch::Tensor y = attend(heads, positions.bias, is_training() ? dropout_ : 0.0);
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
