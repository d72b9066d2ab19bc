// linear(x, w): y = x·wᵀ, torch::nn::Linear's product without bias, as one differentiable op
// whose products go through small_mm (kernels/small_gemm.h). Shapes: x (..., in), w (out, in);
// returns (..., out). Forward and backward are one autograd node issuing the three products
// (y = x wᵀ, dx = dy w, dw = dyᵀ x) directly; LibTorch's form (F::linear, the reference the
// tests compare against) is about five nodes of reshapes, transposes and products. CPU float32
// tensors outside bf16 autocast take this op; anything else runs F::linear. Double backward is
// not supported on the op (a clear error).
#pragma once

#include <torch/torch.h>

namespace statetrack::kernels {

torch::Tensor linear(const torch::Tensor& x, const torch::Tensor& w);

}  // namespace statetrack::kernels
