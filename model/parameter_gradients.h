// The per-step operations on a model's gradients that the trainer runs around the optimiser:
// clear them, take their global norm, scale them (gradient clipping). One LibTorch op per
// parameter tensor each, three times a step, was ~150 dispatched ops at the quick experiment's
// RWKV-7 (38 tensors); here contiguous float32/float64 CPU gradients are raw loops, any other
// gradient (CUDA, bf16, strided) goes through LibTorch ops.
//
// clear_gradients(params): every gradient undefined, as PyTorch's zero_grad(set_to_none=True)
//   and LibTorch 2.x's zero_grad() do (1.13's zero_grad() fills them with zeros). The next
//   backward then hands its gradient tensors over instead of adding them to zeros, which gives
//   the same values. A parameter the forward leaves unused keeps no gradient, and AdamW skips it.
// gradient_norm(params): the L2 norm of all defined gradients together (torch's
//   clip_grad_norm_ total norm), the squares summed in float64; 0 when none is defined.
// scale_gradients(params, factor): every defined gradient times `factor`, rounded as
//   Tensor::mul_(factor) rounds it (the factor to the gradient's dtype first).
#pragma once

#include <torch/torch.h>

#include <vector>

namespace statetrack::model {

void clear_gradients(const std::vector<torch::Tensor>& params);

double gradient_norm(const std::vector<torch::Tensor>& params);

void scale_gradients(const std::vector<torch::Tensor>& params, double factor);

}  // namespace statetrack::model
