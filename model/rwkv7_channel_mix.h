// Rwkv7ChannelMix: RWKV-7's feed-forward (RWKV_CMix_x070, docs/rwkv7.md §7), RWKV-LM names:
//   x_k (1,1,C)  token-shift mix; key Linear C→4C; value Linear 4C→C; no biases, no gate.
//   out = (relu(lerp(x_t, x_{t-1}, x_k) W_key))² W_value
// Shapes: x (B,T,C) is ln2's output; x_prev (B,C) the previous token's ln2 output, replaced by
// the last token's on return. Parameters are placeholders until rwkv7_init.h sets them.
#pragma once

#include <torch/torch.h>

#include "model/rwkv7_config.h"

namespace statetrack::model {

class Rwkv7ChannelMixImpl : public torch::nn::Module {
  public:
    explicit Rwkv7ChannelMixImpl(const Rwkv7Config& config);

    torch::Tensor forward(const torch::Tensor& x, torch::Tensor& x_prev);

  private:
    torch::Tensor x_k_;
    torch::nn::Linear key_{nullptr};
    torch::nn::Linear value_{nullptr};
};
TORCH_MODULE(Rwkv7ChannelMix);

}  // namespace statetrack::model
