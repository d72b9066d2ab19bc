// Rwkv7ChannelMix (see rwkv7_channel_mix.h).
#include "model/rwkv7_channel_mix.h"

#include "kernels/linear.h"
#include "kernels/relu_square.h"
#include "kernels/token_shift_mix.h"
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
    const torch::Tensor mixed = kernels::token_shift_mix(x, x_prev, x_k_.view({1, x.size(2)}))[0];
    x_prev = x.select(1, x.size(1) - 1).clone();  // a copy: do not pin the whole chunk
    const torch::Tensor k = kernels::relu_square(kernels::linear(mixed, key_->weight));
    return kernels::linear(k, value_->weight);
}

}  // namespace statetrack::model
