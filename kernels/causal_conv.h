// causal_conv(x, weight, bias): Mamba's causal depthwise convolution over time, differentiable,
// in the (B, T, E) layout the model holds (kernels/causal_conv_cpu.h for the formula). x (B, T,
// E); weight (E, 1, K), as torch::nn::Conv1d with groups = E stores it; bias (E); returns (B, T,
// E). Why: the reference (transpose, pad K − 1 zeros on the left, Conv1d, transpose back) costs
// ~1.9 ms of a 13.7 ms training step at the quick experiment's Mamba shape (B 32, T 40, E 128,
// K 4), most of it LibTorch 1.13's depthwise-convolution backward; the loops take a few percent
// of that. CPU tensors all float32 or all float64 take the loops; any other dtype or device
// (bf16 under autocast, CUDA) runs causal_conv_reference, also the tests' oracle. Same result up
// to float rounding. Double backward is not supported on the loop path (a clear error).
#pragma once

#include <torch/torch.h>

namespace statetrack::kernels {

torch::Tensor causal_conv(const torch::Tensor& x, const torch::Tensor& weight,
                          const torch::Tensor& bias);

torch::Tensor causal_conv_reference(const torch::Tensor& x, const torch::Tensor& weight,
                                    const torch::Tensor& bias);

}  // namespace statetrack::kernels
