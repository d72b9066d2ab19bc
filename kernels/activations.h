// Differentiable activations, each one vectorised loop each way (kernels/activations_cpu.h)
// through kernels/pointwise_function.h: CPU float32/float64 tensors take the loops, any other dtype
// or device the torch function named. Same shape and dtype as x; any strides. Double backward is
// not supported on the loop path (a clear error naming the op).
// - gelu(x) = x·Φ(x), torch::gelu with its default exact CDF: the Transformer's MLP. LibTorch
//   1.13 runs float GELU through oneDNN, which JIT-compiles a kernel for every new input shape (a
//   training run with lengths 1…40 builds dozens).
// - silu(x) = x·σ(x), torch::silu: Mamba's activation after its convolution and on its gate.
// - softplus(x) = log(1 + eˣ), torch::softplus (beta 1, threshold 20, whose result above the
//   threshold the loops match to float rounding): Mamba's step size Δ.
#pragma once

#include <torch/torch.h>

namespace statetrack::kernels {

torch::Tensor gelu(const torch::Tensor& x);
torch::Tensor silu(const torch::Tensor& x);
torch::Tensor softplus(const torch::Tensor& x);

}  // namespace statetrack::kernels
