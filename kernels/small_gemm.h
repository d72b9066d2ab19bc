// small_mm(a, b): the matrix product a (M,K) · b (K,N) of 2D CPU tensors, through the unpacked
// small_gemm_cpu kernel (kernels/small_gemm_cpu.h) where it applies (float32, N a multiple of
// 16 with AVX-512, of 8 with AVX2) and at::mm otherwise. a may be any strided view (a transpose
// costs nothing); b is made contiguous first when its rows are not (a transposed weight, copied by
// small_gemm_cpu.h's transpose_cpu: at most a few hundred kilobytes), and only for products of 32
// rows or more (below, at::mm). Not
// differentiable: it serves the backward passes of the ops that call it and forward passes without
// gradient (kernels/linear.h, model/rwkv7_projections.h). Returns a new contiguous (M,N) tensor.
#pragma once

#include <torch/torch.h>

namespace statetrack::kernels {

// With a bias (N), a·b + bias: added as the kernel stores C, else by add_ after at::mm.
torch::Tensor small_mm(const torch::Tensor& a, const torch::Tensor& b,
                       const torch::Tensor& bias = {});

// small_mm_times(a, b, m) = (a·b) ⊙ m, m a contiguous (M,N) matrix; float32 CPU tensors only: the
// multiply rides on the kernel's epilogue (small_gemm_cpu.h) where it applies, else small_mm then
// mul_, the same floats either way. For a backward product followed by an activation's
// derivative (kernels/gelu_mlp.h), without a pass over the (M,N) product.
torch::Tensor small_mm_times(const torch::Tensor& a, const torch::Tensor& b,
                             const torch::Tensor& m);

// small_mm_into(c, a, b): the same product written into c, a contiguous (M,N) tensor of a's dtype
// (the per-step products of a recurrence, into one buffer reused every step). Through the kernel
// where it applies and b's rows are contiguous; otherwise (a transposed weight is not copied
// here: a recurrence copies it once for all its steps) at::mm_out.
void small_mm_into(torch::Tensor& c, const torch::Tensor& a, const torch::Tensor& b);

}  // namespace statetrack::kernels
