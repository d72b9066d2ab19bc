// layer_norm(x, weight, bias, eps): layer norm over the last dimension, differentiable, as one
// loop each way (kernels/layer_norm_cpu.h). LibTorch 1.13's CPU layer norm costs ~80 µs forward
// at RWKV-7's quick shape (1280 rows of 64), more than twice these loops, and an RWKV-7 model of
// L layers runs 2L + 2 of them a step. Same result as torch::layer_norm up to float rounding
// (the reference and the tests' oracle). x (..., C); weight, bias (C). CPU tensors all float32
// or all float64 take the loops; any other dtype or device (bf16 under autocast, CUDA) runs
// torch::layer_norm. Double backward is not supported on the loop path (a clear error).
#pragma once

#include <torch/torch.h>

namespace statetrack::kernels {

torch::Tensor layer_norm(const torch::Tensor& x, const torch::Tensor& weight,
                         const torch::Tensor& bias, double eps);

}  // namespace statetrack::kernels
