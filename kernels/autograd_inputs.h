// What the differentiable ops (wkv7_autograd.cpp, selective_scan_autograd.cpp) ask of their
// inputs before choosing between the plain forward and their autograd Function:
// - any_requires_grad(tensors): whether a defined one of them requires a gradient (undefined
//   ones, i.e. absent optional inputs, never do);
// - optional_if_defined(t): c10::nullopt for an undefined t, else t (a Function's optional
//   tensor argument).
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

}  // namespace statetrack::kernels
