// linear(x, w, b): y = x·wᵀ + b, torch::nn::Linear's forward, as one differentiable op whose
// products go through small_mm (kernels/small_gemm.h). Shapes: x (..., in), w (out, in), b (out)
// or undefined; returns (..., out). Forward and backward are one autograd node issuing the three
// products (y = x wᵀ, dx = dy w, dw = dyᵀ x) and the bias's row sum (column_sums_cpu); LibTorch's
// form (F::linear, the reference the tests compare against) is about five nodes of reshapes,
// transposes, products and the bias. The bias is added after the product (F::linear adds it
// first on 2D inputs): the two agree up to float rounding. CPU float32 tensors outside bf16
// autocast take this op; anything else runs F::linear. Double backward is not supported on the
// op (a clear error).
#pragma once

#include <torch/torch.h>

namespace statetrack::kernels {

torch::Tensor linear(const torch::Tensor& x, const torch::Tensor& w,
                     const torch::Tensor& b = torch::Tensor());

// The products of linear's backward, for fused nodes that contain a Linear: given dy (rows, out)
// for x (..., in) with rows = x.numel() / in, dx = dy·w shaped like x, dw = dyᵀ·x and the bias's
// db = Σ_rows dy (each left undefined when not wanted). The same layouts LibTorch's mm backward
// issues; db through column_sums_cpu (dy contiguous float32 then).
struct LinearGrads {
    torch::Tensor dx, dw, db;
};
LinearGrads linear_backward(const torch::Tensor& dy, const torch::Tensor& x, const torch::Tensor& w,
                            bool want_dx = true, bool want_dw = true, bool want_db = false);

}  // namespace statetrack::kernels
