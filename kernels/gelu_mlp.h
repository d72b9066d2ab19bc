// gelu_mlp(x, w1, b1, w2, b2) = linear(gelu(linear(x, w1, b1)), w2, b2): the Transformer's MLP
// as one autograd node. Shapes: x (..., C), w1 (F, C), b1 (F), w2 (C', F), b2 (C'), biases
// optional (undefined); returns (..., C'). The backward's dh = (dy·w2) ⊙ gelu'(h) is one product
// with the multiply on the kernel's epilogue (kernels/small_gemm.h small_mm_times) instead of a
// product and then LibTorch's elementwise multiply over the (rows, F) matrix (2.4% of the perf
// samples of a quick-shape 2-layer Transformer step). Saves x, the GELU output and its
// derivative, as the separate ops did. Same floats as kernels::linear → kernels::gelu →
// kernels::linear (tests/kernels/gelu_mlp_test.cpp checks it bit for bit, and against
// LibTorch's ops). CPU float32 tensors outside bf16 autocast take the node when a gradient is
// wanted; anything else runs that composition. Double backward is not supported on the node (a
// clear error).
#pragma once

#include <torch/torch.h>

namespace statetrack::kernels {

torch::Tensor gelu_mlp(const torch::Tensor& x, const torch::Tensor& w1, const torch::Tensor& b1,
                       const torch::Tensor& w2, const torch::Tensor& b2);

}  // namespace statetrack::kernels
