// Reference WKV7 implementations in plain torch ops: the oracles the kernels are tested against.
// Slow and obviously correct; differentiable by autograd; any dtype and device (the tests run
// them in float64). Same contract as wkv7() in wkv7.h, except that the state is kept in the
// inputs' dtype and N may be any size.
//
// Shapes: r, w, k, v, a, b (B, T, H, N); state0 optional (B, H, N, N), S[i][j] with i = value
// index; returns (y (B, T, H, N), state_final (B, H, N, N)).
#pragma once

#include <torch/torch.h>

#include <tuple>

namespace statetrack::kernels {

// The contract's element-wise per-step loop: sa = S·a, S = S⊙w + sa bᵀ + v kᵀ, y = S·r.
std::tuple<torch::Tensor, torch::Tensor> wkv7_reference(
    const torch::Tensor& r, const torch::Tensor& w, const torch::Tensor& k, const torch::Tensor& v,
    const torch::Tensor& a, const torch::Tensor& b,
    const c10::optional<torch::Tensor>& state0 = {});

// An independent form of the same recurrence, with explicit transition matrices and matmuls:
// S_t = S_{t-1}·(diag(w_t) + a_t b_tᵀ) + v_t k_tᵀ, y_t = S_t r_t.
std::tuple<torch::Tensor, torch::Tensor> wkv7_reference_matrix(
    const torch::Tensor& r, const torch::Tensor& w, const torch::Tensor& k, const torch::Tensor& v,
    const torch::Tensor& a, const torch::Tensor& b,
    const c10::optional<torch::Tensor>& state0 = {});

}  // namespace statetrack::kernels
