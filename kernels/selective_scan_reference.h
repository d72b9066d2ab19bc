// The reference selective scan in plain torch ops: the oracle the CPU kernel is tested against.
// Slow and obviously correct, one torch op per line of the contract, per step; differentiable
// by autograd; any floating dtype and device (the tests run it in float64). Same contract as
// selective_scan() in selective_scan.h, except that it checks nothing (shapes must be right)
// and keeps the state in the inputs' dtype whatever it is.
//
// Shapes: u, delta (B, T, D); A (D, S); Bm, Cm (B, T, S); Dskip (D); h0 optional (B, D, S);
// returns (y (B, T, D), h_final (B, D, S)).
#pragma once

#include <torch/torch.h>

#include <tuple>

namespace statetrack::kernels {

std::tuple<torch::Tensor, torch::Tensor> selective_scan_reference(
    const torch::Tensor& u, const torch::Tensor& delta, const torch::Tensor& A,
    const torch::Tensor& Bm, const torch::Tensor& Cm, const torch::Tensor& Dskip,
    const c10::optional<torch::Tensor>& h0 = {}, bool negative_eigenvalues = false);

}  // namespace statetrack::kernels
