// Rwkv7ChannelMix (see rwkv7_channel_mix.h).
#include "model/rwkv7_channel_mix.h"

#include "model/rwkv7_state.h"

namespace statetrack::model {

Rwkv7ChannelMixImpl::Rwkv7ChannelMixImpl(const Rwkv7Config& config) {
    const int64_t C = config.d_model;
    x_k_ = register_parameter("x_k", torch::zeros({1, 1, C}));
    key_ = register_module(
        "key", torch::nn::Linear(torch::nn::LinearOptions(C, config.d_ffn()).bias(false)));
    value_ = register_module(
        "value", torch::nn::Linear(torch::nn::LinearOptions(config.d_ffn(), C).bias(false)));
}

torch::Tensor Rwkv7ChannelMixImpl::forward(const torch::Tensor& x, torch::Tensor& x_prev) {
    const torch::Tensor xx = rwkv7_token_shift(x, x_prev) - x;
    x_prev = x.select(1, x.size(1) - 1).clone();  // a copy: do not pin the whole chunk
    const torch::Tensor k = torch::relu(key_(x + xx * x_k_)).square();
    return value_(k);
}

}  // namespace statetrack::model
