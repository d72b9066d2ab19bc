// One pre-LN Transformer block (GPT-2 layout), for transformer_model.h:
//   x = x + dropout(attn(ln1(x)));  x = x + dropout(proj(gelu(fc(ln2(x)))))
// LayerNorm eps 1e-5, exact (erf) GELU (kernels/activations.h), MLP hidden width d_ff; dropout in
// training mode only.
// attn.out and proj are the residual output projections (their init is scaled by 1/√(2L)).
// Shapes: x (B, T, C) -> (B, T, C); positions and cache as in transformer_attention.h.
#pragma once

#include <torch/torch.h>

#include <cstdint>

#include "model/transformer_attention.h"
#include "model/transformer_config.h"

namespace statetrack::model {

class TransformerBlockImpl : public torch::nn::Module {
  public:
    explicit TransformerBlockImpl(const TransformerConfig& config);

    torch::Tensor forward(const torch::Tensor& x, const AttentionPositions& positions,
                          TransformerKvCache* cache = nullptr);

    torch::nn::LayerNorm ln1{nullptr};
    TransformerAttention attn{nullptr};
    torch::nn::LayerNorm ln2{nullptr};
    torch::nn::Linear fc{nullptr};
    torch::nn::Linear proj{nullptr};

  private:
    double dropout_;
};
TORCH_MODULE(TransformerBlock);

}  // namespace statetrack::model
