// rms_norm(x, weight, eps) = x·rsqrt(mean(x², last dim) + eps)·weight, Mamba's RMSNorm,
// differentiable, as one loop each way (kernels/rms_norm_cpu.h). The same expression in LibTorch
// ops (rms_norm_reference, the tests' oracle) is six ops forward and as many autograd nodes
// back, per norm: a Mamba model of L layers runs L + 1 of them a step. x (..., C); weight (C).
// CPU tensors all float32 or all float64 take the loops; any other dtype or device (bf16 under
// autocast, CUDA) runs the reference. Double backward is not supported on the loop path (a
// clear error).
#pragma once

#include <torch/torch.h>

namespace statetrack::kernels {

torch::Tensor rms_norm(const torch::Tensor& x, const torch::Tensor& weight, double eps);

torch::Tensor rms_norm_reference(const torch::Tensor& x, const torch::Tensor& weight, double eps);

}  // namespace statetrack::kernels
