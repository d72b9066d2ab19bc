// One pre-LN Transformer block (see transformer_block.h).
#include "model/transformer_block.h"

#include "kernels/gelu_mlp.h"
#include "kernels/layer_norm.h"

namespace statetrack::model {

TransformerBlockImpl::TransformerBlockImpl(const TransformerConfig& config)
    : dropout_(config.dropout) {
    const int64_t C = config.d_model;
    const auto norm_options = torch::nn::LayerNormOptions({C}).eps(1e-5);
    ln1 = register_module("ln1", torch::nn::LayerNorm(norm_options));
    attn = register_module("attn", TransformerAttention(C, config.n_heads, config.dropout));
    ln2 = register_module("ln2", torch::nn::LayerNorm(norm_options));
    fc = register_module("fc", torch::nn::Linear(C, config.d_ff));
    proj = register_module("proj", torch::nn::Linear(config.d_ff, C));
}

torch::Tensor TransformerBlockImpl::forward(const torch::Tensor& x,
                                            const AttentionPositions& positions,
                                            TransformerKvCache* cache) {
    const bool train = is_training();
    const auto norm = [](const torch::nn::LayerNorm& ln, const torch::Tensor& t) {
        return kernels::layer_norm(t, ln->weight, ln->bias, ln->options.eps());
    };
    torch::Tensor h = x + torch::dropout(attn(norm(ln1, x), positions, cache), dropout_, train);
    const torch::Tensor mlp =
        kernels::gelu_mlp(norm(ln2, h), fc->weight, fc->bias, proj->weight, proj->bias);
    return h + torch::dropout(mlp, dropout_, train);
}

}  // namespace statetrack::model
