// For the tests of an op y = f(x, weight, bias) with CPU loops beside a reference
// (kernels/layer_norm.h, kernels/causal_conv.h): run_weighted_op runs f on fresh leaf copies and
// backpropagates g; expect_same_weighted_op compares y and the three gradients by NMSE
// (tensor_compare.h).
#pragma once

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "tests/testing/tensor_compare.h"

namespace statetrack::testing {

struct WeightedOpRun {
    torch::Tensor y, dx, dw, db;
};

template <typename F>
WeightedOpRun run_weighted_op(F f, const torch::Tensor& x0, const torch::Tensor& w0,
                              const torch::Tensor& b0, const torch::Tensor& g) {
    const torch::Tensor x = x0.detach().clone().requires_grad_(true);
    const torch::Tensor w = w0.detach().clone().requires_grad_(true);
    const torch::Tensor b = b0.detach().clone().requires_grad_(true);
    const torch::Tensor y = f(x, w, b);
    y.backward(g);
    return {y.detach(), x.grad(), w.grad(), b.grad()};
}

inline void expect_same_weighted_op(const WeightedOpRun& ref, const WeightedOpRun& got,
                                    double max_nmse) {
    EXPECT_TRUE(tensors_close(ref.y, got.y, max_nmse)) << "y";
    EXPECT_TRUE(tensors_close(ref.dx, got.dx, max_nmse)) << "dx";
    EXPECT_TRUE(tensors_close(ref.dw, got.dw, max_nmse)) << "dweight";
    EXPECT_TRUE(tensors_close(ref.db, got.db, max_nmse)) << "dbias";
}

}  // namespace statetrack::testing
