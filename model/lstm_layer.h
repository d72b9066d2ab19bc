// lstm_layer: one LSTM layer over a whole batch of sequences, torch::nn::LSTM's computation
// (batch_first, gate order i, f, g, o, both biases) as one autograd node:
//   gx = x·W_ihᵀ for all steps at once (one product), then per step t
//   (h_t, c_t) = cell(gx_t + h_{t−1}·W_hhᵀ + b_ih + b_hh, c_{t−1})   (kernels/lstm_cell_cpu.h)
// and the backward the same way round: per step the cell's gradient and dh_{t−1} = dp_t·W_hh,
// then dW_ih, dW_hh, dx and the biases' gradient as one product (or sum) each over all steps.
// LibTorch's LSTM records a graph of about ten ops per step, so at the quick experiment's shapes
// its dispatch and autograd cost more than its arithmetic (issue 15's profile).
// Shapes: x (B, T, I); w_ih (4H, I); w_hh (4H, H); b_ih, b_hh (4H); h0, c0 (B, H) or undefined
// (zeros). Returns y (B, T, H) and the final h_n, c_n (B, H). Differentiable in x and the weights;
// h0, c0 must not require a gradient and h_n, c_n are not differentiable (training starts every
// sequence from zeros; step mode needs no gradient). Double backward is not supported (an error).
// lstm_layer_applies(x): whether the layer runs here — CPU float32/float64 tensors outside bf16
// autocast; otherwise the caller keeps torch::nn::LSTM, which is also the tests' reference.
#pragma once

#include <torch/torch.h>

namespace statetrack::model {

struct LstmLayerWeights {
    torch::Tensor w_ih, w_hh, b_ih, b_hh;
};

struct LstmLayerOutput {
    torch::Tensor y, h_n, c_n;
};

bool lstm_layer_applies(const torch::Tensor& x);

LstmLayerOutput lstm_layer(const torch::Tensor& x, const LstmLayerWeights& w,
                           const torch::Tensor& h0 = torch::Tensor(),
                           const torch::Tensor& c0 = torch::Tensor());

}  // namespace statetrack::model
