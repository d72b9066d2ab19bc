// The float64 oracles themselves: the element-wise loop against the matrix form, against
// closed forms (linear attention) and its autograd gradients against central finite
// differences. Everything else in the kernels tests trusts wkv7_reference because of these.
#include "kernels/wkv7_reference.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "tests/kernels/wkv7_testing.h"
#include "tests/testing/tensor_compare.h"

namespace statetrack::kernels {
namespace {

using statetrack::testing::tensors_close;
using testing::DecayRange;
using testing::Wkv7Shape;
constexpr double kMaxNmseFloat64 = testing::Wkv7Op::kMaxNmseFloat64;

const testing::Wkv7Fn kMatrixForm = [](const torch::Tensor& r, const torch::Tensor& w,
                                       const torch::Tensor& k, const torch::Tensor& v,
                                       const torch::Tensor& a, const torch::Tensor& b,
                                       const c10::optional<torch::Tensor>& s0) {
    return wkv7_reference_matrix(r, w, k, v, a, b, s0);
};

TEST(Wkv7Reference, LoopFormMatchesMatrixFormWithGradients) {
    for (const Wkv7Shape& shape : {Wkv7Shape{2, 7, 3, 5, DecayRange::kFull, true},
                                   Wkv7Shape{1, 20, 2, 16, DecayRange::kModel, false}}) {
        SCOPED_TRACE(testing::shape_name(shape));
        const auto in = testing::make_wkv7_inputs(shape, torch::kFloat64, 11);
        const auto up = testing::make_upstream(shape, 12);
        const auto loop = testing::run_with_grads(testing::kWkv7Reference, in, up);
        const auto matrix = testing::run_with_grads(kMatrixForm, in, up);
        testing::expect_runs_close(matrix, loop, kMaxNmseFloat64);
    }
}

// With a = b = 0 and w = 1 the recurrence is causal linear attention:
// y_t = Σ_{s<=t} v_s (k_s · r_t). With w = 0 only the current token survives: y_t = v_t (k_t ·
// r_t).
TEST(Wkv7Reference, MatchesLinearAttentionClosedForms) {
    const Wkv7Shape shape{2, 9, 2, 6, DecayRange::kModel, false};
    auto in = testing::make_wkv7_inputs(shape, torch::kFloat64, 21);
    in.a.zero_();
    in.b.zero_();
    const torch::Tensor scores = torch::einsum("bthn,bshn->bhts", {in.r, in.k});  // r_t · k_s
    const torch::Tensor causal = torch::ones({shape.T, shape.T}, torch::kFloat64).tril();

    in.w.fill_(1.0);
    const torch::Tensor y_sum = torch::einsum("bhts,bshn->bthn", {scores * causal, in.v});
    EXPECT_TRUE(tensors_close(
        y_sum, std::get<0>(wkv7_reference(in.r, in.w, in.k, in.v, in.a, in.b)), kMaxNmseFloat64));

    in.w.fill_(0.0);
    const torch::Tensor eye = torch::eye(shape.T, torch::kFloat64);
    const torch::Tensor y_last = torch::einsum("bhts,bshn->bthn", {scores * eye, in.v});
    EXPECT_TRUE(tensors_close(
        y_last, std::get<0>(wkv7_reference(in.r, in.w, in.k, in.v, in.a, in.b)), kMaxNmseFloat64));
}

// Central differences of L = Σ y·gy + Σ state_final·gs, one element at a time (ggml's grad mode).
TEST(Wkv7Reference, AutogradMatchesFiniteDifferences) {
    const Wkv7Shape shape{1, 4, 1, 4, DecayRange::kFull, true};
    const auto in = testing::make_wkv7_inputs(shape, torch::kFloat64, 31);
    testing::expect_autograd_matches_finite_differences(
        testing::Wkv7Op::bind(testing::kWkv7Reference, in), testing::args_of(in),
        testing::make_upstream(shape, 32), testing::Wkv7Op::signature(), 1e-14);
}

}  // namespace
}  // namespace statetrack::kernels
