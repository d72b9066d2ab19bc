// What the differentiable ops ask of their inputs before choosing between a plain forward, their
// autograd Function and a reference:
// - any_requires_grad(tensors): whether a defined one of them requires a gradient (undefined
//   ones, i.e. absent optional inputs, never do);
// - optional_if_defined(t): c10::nullopt for an undefined t, else t (a Function's optional
//   tensor argument);
// - takes_cpu_loops(tensors): whether the ops with CPU loops (layer_norm, causal_conv,
//   relu_square, token_shift_mix, RWKV-7's wkv operands and readout) run them on these inputs:
//   the first is float32 or float64 and every defined one is a CPU tensor of that dtype.
#pragma once

#include <torch/torch.h>

#include <initializer_list>

namespace statetrack::kernels {

inline bool any_requires_grad(std::initializer_list<const torch::Tensor*> tensors) {
    for (const torch::Tensor* t : tensors) {
        if (t->defined() && t->requires_grad()) {
            return true;
        }
    }
    return false;
}

inline c10::optional<torch::Tensor> optional_if_defined(const torch::Tensor& t) {
    return t.defined() ? c10::optional<torch::Tensor>(t) : c10::optional<torch::Tensor>();
}

inline bool takes_cpu_loops(c10::ArrayRef<torch::Tensor> tensors) {
    const auto dtype = tensors.front().scalar_type();
    if (dtype != torch::kFloat32 && dtype != torch::kFloat64) {
        return false;
    }
    for (const torch::Tensor& t : tensors) {
        if (t.defined() && (!t.device().is_cpu() || t.scalar_type() != dtype)) {
            return false;
        }
    }
    return true;
}

}  // namespace statetrack::kernels
