// Rwkv7Block (see rwkv7_block.h). Submodules are registered in RWKV-LM's order.
#include "model/rwkv7_block.h"

#include "kernels/layer_norm.h"

namespace statetrack::model {
namespace {

torch::nn::LayerNorm layer_norm(int64_t C) {
    return torch::nn::LayerNorm(torch::nn::LayerNormOptions({C}).eps(1e-5));
}

}  // namespace

Rwkv7BlockImpl::Rwkv7BlockImpl(const Rwkv7Config& config, int64_t layer_id) {
    ln1_ = register_module("ln1", layer_norm(config.d_model));
    ln2_ = register_module("ln2", layer_norm(config.d_model));
    if (layer_id == 0) {
        ln0_ = register_module("ln0", layer_norm(config.d_model));
    }
    att_ = register_module("att", Rwkv7TimeMix(config, layer_id));
    ffn_ = register_module("ffn", Rwkv7ChannelMix(config));
}

torch::Tensor Rwkv7BlockImpl::forward(torch::Tensor x, torch::Tensor& v_first,
                                      Rwkv7LayerState& state, Rwkv7WkvMode mode) {
    // The modules hold the parameters (and their checkpoint names); kernels::layer_norm runs
    // them in one loop each way.
    const auto norm = [](const torch::nn::LayerNorm& ln, const torch::Tensor& t) {
        return kernels::layer_norm(t, ln->weight, ln->bias, ln->options.eps());
    };
    if (ln0_) {
        x = norm(ln0_, x);
    }
    x = x + att_->forward(norm(ln1_, x), v_first, state, mode);
    return x + ffn_->forward(norm(ln2_, x), state.ffn_x_prev);
}

}  // namespace statetrack::model
