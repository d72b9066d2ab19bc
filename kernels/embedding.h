// embedding(tokens, weight): the rows of weight (V, C) that int64 tokens (any shape) pick, as
// (..., C): torch::nn::Embedding's forward. Its backward is one loop adding each position's
// gradient row into dweight's row of its token, positions in order; LibTorch's
// embedding_dense_backward took ~0.8% of a quick-shape Transformer training step (perf samples)
// for what is a few thousand row adds. The forward is LibTorch's index_select, which also
// rejects a token outside [0, V) with a clear error. CPU float32/float64 weights take the loop
// (through the autograd Function when the weight requires a gradient); anything else runs
// F::embedding, the reference the tests compare against. Double backward is not supported on the
// loop path (a clear error).
#pragma once

#include <torch/torch.h>

namespace statetrack::kernels {

torch::Tensor embedding(const torch::Tensor& tokens, const torch::Tensor& weight);

}  // namespace statetrack::kernels
