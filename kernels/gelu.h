// gelu(x) = x·Φ(x), torch::gelu with its default exact CDF, differentiable: the Transformer's FFN
// activation. LibTorch 1.13 runs float GELU through oneDNN, which JIT-compiles a kernel for every
// new input shape (a training run with lengths 1…40 builds dozens) and ran at ~2 ns an element;
// this op runs one vectorised loop each way (kernels/gelu_cpu.h) through
// kernels/pointwise_function.h: CPU float32/float64 tensors take the loops, any other dtype or
// device torch::gelu. Same shape and dtype as x; any strides. Double backward is not supported
// on the loop path (a clear error).
#pragma once

#include <torch/torch.h>

namespace statetrack::kernels {

torch::Tensor gelu(const torch::Tensor& x);

}  // namespace statetrack::kernels
