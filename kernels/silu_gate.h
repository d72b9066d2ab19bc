// silu_gate(y, z) = y ⊙ SiLU(z), Mamba's output gate, differentiable, as one loop each way
// (kernels/activations_cpu.h). LibTorch's form, y * silu(z) (silu_gate_reference, the tests'
// oracle), is two ops forward, saves SiLU's output, and three back. y and z of one shape and
// dtype, any strides. CPU float32/float64 tensors take the loops; any other dtype or device
// (bf16 under autocast, CUDA) runs the reference. Double backward is not supported on the loop
// path (a clear error).
#pragma once

#include <torch/torch.h>

namespace statetrack::kernels {

torch::Tensor silu_gate(const torch::Tensor& y, const torch::Tensor& z);

torch::Tensor silu_gate_reference(const torch::Tensor& y, const torch::Tensor& z);

}  // namespace statetrack::kernels
