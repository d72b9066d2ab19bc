// The WKV7 op's CUDA path (wkv7_dispatch.cpp calls it for CUDA tensors): argument checks that
// differ from the CPU's, and the calls into the CUDA kernels (kernels/cuda/wkv7_cuda.h) on the
// tensors' device and its current stream. Defined only in builds with STATETRACK_WITH_CUDA=1.
// Shapes as in wkv7.h; CUDA: float32 or bfloat16 inputs, N ∈ {16, 32, 64, 128}, float32 state.
#pragma once

#include <torch/torch.h>

#include <array>

#include "kernels/wkv7_dispatch.h"

namespace statetrack::kernels {

// TORCH_CHECKs r's dtype and head size for the CUDA kernels (r already on a CUDA device).
void check_wkv7_cuda_input(const torch::Tensor& r);

// in: contiguous r, w, k, v, a, b on one CUDA device; state0 undefined or contiguous float32;
// out: allocated by wkv7_forward (y, state_final, checkpoints if wanted), filled here.
void wkv7_forward_cuda_tensors(const std::array<torch::Tensor, 6>& in, const torch::Tensor& state0,
                               Wkv7ForwardResult& out);

// in as above; checkpoints, dy contiguous, dstate_final undefined or contiguous; g allocated.
void wkv7_backward_cuda_tensors(const std::array<torch::Tensor, 6>& in,
                                const torch::Tensor& checkpoints, const torch::Tensor& dy,
                                const torch::Tensor& dstate_final, Wkv7Gradients& g);

}  // namespace statetrack::kernels
