// Rwkv7State helpers (see rwkv7_state.h).
#include "model/rwkv7_state.h"

#include <fmt/format.h>

#include <stdexcept>

#include "kernels/wkv7.h"

namespace statetrack::model {

int64_t Rwkv7State::batch_size() const {
    if (layers.empty()) {
        throw std::logic_error("Rwkv7State::batch_size: the state has no layers");
    }
    return layers.front().wkv.size(0);
}

int64_t Rwkv7State::numel_per_sequence() const {
    int64_t total = 0;
    for (const Rwkv7LayerState& layer : layers) {
        total += layer.att_x_prev.numel() + layer.wkv.numel() + layer.ffn_x_prev.numel();
    }
    return layers.empty() ? 0 : total / batch_size();
}

Rwkv7State Rwkv7State::detached() const {
    Rwkv7State out;
    out.layers.reserve(layers.size());
    for (const Rwkv7LayerState& layer : layers) {
        out.layers.push_back(
            {layer.att_x_prev.detach(), layer.wkv.detach(), layer.ffn_x_prev.detach()});
    }
    return out;
}

torch::ScalarType rwkv7_wkv_dtype(torch::ScalarType model_dtype) {
    return kernels::wkv7_state_dtype(model_dtype);
}

Rwkv7State rwkv7_zero_state(const Rwkv7Config& config, int64_t batch_size,
                            const torch::TensorOptions& model_options) {
    if (batch_size < 1) {
        throw std::invalid_argument(
            fmt::format("rwkv7_zero_state: batch size {} must be >= 1", batch_size));
    }
    const int64_t C = config.d_model;
    const int64_t H = config.n_heads();
    const int64_t N = config.head_size;
    const auto wkv_options =
        model_options.dtype(rwkv7_wkv_dtype(c10::typeMetaToScalarType(model_options.dtype())));
    Rwkv7State state;
    state.layers.reserve(static_cast<size_t>(config.n_layers));
    for (int64_t l = 0; l < config.n_layers; ++l) {
        state.layers.push_back({torch::zeros({batch_size, C}, model_options),
                                torch::zeros({batch_size, H, N, N}, wkv_options),
                                torch::zeros({batch_size, C}, model_options)});
    }
    return state;
}

}  // namespace statetrack::model
