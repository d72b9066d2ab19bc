// Rwkv7Block: one pre-LN RWKV-7 layer (docs/rwkv7.md §2), RWKV-LM names ln1, ln2, ln0, att, ffn:
//   if layer 0: x = ln0(x)          (the extra LayerNorm right after the embedding)
//   x = x + att(ln1(x), v_first)    (time mix; layer 0 produces v_first)
//   x = x + ffn(ln2(x))             (channel mix)
// All LayerNorms: eps 1e-5, affine. Shapes: x (B,T,C); v_first (B,T,C).
#pragma once

#include <torch/torch.h>

#include <cstdint>

#include "model/rwkv7_channel_mix.h"
#include "model/rwkv7_config.h"
#include "model/rwkv7_state.h"
#include "model/rwkv7_time_mix.h"

namespace statetrack::model {

class Rwkv7BlockImpl : public torch::nn::Module {
  public:
    Rwkv7BlockImpl(const Rwkv7Config& config, int64_t layer_id);

    // Updates `state` (this layer's) to the state after the last token of x.
    torch::Tensor forward(torch::Tensor x, torch::Tensor& v_first, Rwkv7LayerState& state,
                          Rwkv7WkvMode mode);

  private:
    torch::nn::LayerNorm ln1_{nullptr};
    torch::nn::LayerNorm ln2_{nullptr};
    torch::nn::LayerNorm ln0_{nullptr};  // layer 0 only
    Rwkv7TimeMix att_{nullptr};
    Rwkv7ChannelMix ffn_{nullptr};
};
TORCH_MODULE(Rwkv7Block);

}  // namespace statetrack::model
