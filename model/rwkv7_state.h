// The RWKV-7 recurrent state (docs/rwkv7.md §8): per layer the previous token's ln1 output
// (time-mix shift), the WKV matrix state, and the previous token's ln2 output (channel-mix shift).
// v_first is recomputed from layer 0 at every token, so it is not part of the state.
// Shapes: B batch, C = H·N model width, H heads, N head size.
//   att_x_prev, ffn_x_prev: (B, C), the model's dtype
//   wkv: (B, H, N, N), S[i][j] with i = value index, j = key index; float32, or float64 for a
//        float64 model (never below float32, as in every reference kernel).
// A zero state is the start of a sequence: token shift then sees zeros, as RWKV-LM's ZeroPad2d.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "model/rwkv7_config.h"

namespace statetrack::model {

struct Rwkv7LayerState {
    torch::Tensor att_x_prev;  // (B, C)
    torch::Tensor wkv;         // (B, H, N, N)
    torch::Tensor ffn_x_prev;  // (B, C)
};

struct Rwkv7State {
    std::vector<Rwkv7LayerState> layers;

    int64_t batch_size() const;
    // Floats held per sequence, counted from the real tensors (L·(H·N² + 2·C)).
    int64_t numel_per_sequence() const;
    // The same state cut from the autograd graph (truncated backpropagation through time).
    Rwkv7State detached() const;
};

// dtype of the WKV state for a model whose parameters have `model_dtype`.
torch::ScalarType rwkv7_wkv_dtype(torch::ScalarType model_dtype);

// A zero state for B sequences; `model_options` gives the parameters' dtype and device.
Rwkv7State rwkv7_zero_state(const Rwkv7Config& config, int64_t batch_size,
                            const torch::TensorOptions& model_options);

}  // namespace statetrack::model
