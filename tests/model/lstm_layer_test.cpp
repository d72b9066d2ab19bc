// lstm_layer (model/lstm_layer.h) against torch::nn::LSTM, its reference, with the same weights:
// the output, the final state and the gradients of x and all four weights, from zero and from a
// given initial state, in float64 (a generic width whose products take at::mm; measured NMSE
// ~1e-31, asserted 1e-26) and float32 (widths whose products take the small GEMM kernel, and the
// cell's exp_approx; measured up to 3.7e-13, asserted 1e-11); the gradient against finite
// differences; the input checks. The model around it is checked by the
// model suites (sequence_model_test.cpp: step mode against whole sequences).
#include "model/lstm_layer.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <tuple>
#include <vector>

#include "tests/testing/tensor_compare.h"

namespace statetrack::model {
namespace {

using statetrack::testing::tensors_close;

struct Case {
    torch::Tensor x, dy, h0, c0;
    LstmLayerWeights w;
};

Case make_case(int64_t B, int64_t T, int64_t I, int64_t H, torch::ScalarType dtype, uint64_t seed) {
    torch::manual_seed(seed);
    const auto r = [&](std::vector<int64_t> sizes, double scale) {
        return torch::randn(sizes, dtype) * scale;
    };
    const double s = 1.0 / std::sqrt(static_cast<double>(H));
    return {r({B, T, I}, 1.0),
            r({B, T, H}, 1.0),
            r({B, H}, 0.5),
            r({B, H}, 1.0),
            {r({4 * H, I}, 2 * s), r({4 * H, H}, 2 * s), r({4 * H}, s), r({4 * H}, s)}};
}

struct Result {
    torch::Tensor y, h_n, c_n, dx, dw_ih, dw_hh, db_ih, db_hh;
};

std::vector<torch::Tensor> leaves(const Case& c) {
    return {c.x.clone().requires_grad_(true), c.w.w_ih.clone().requires_grad_(true),
            c.w.w_hh.clone().requires_grad_(true), c.w.b_ih.clone().requires_grad_(true),
            c.w.b_hh.clone().requires_grad_(true)};
}

Result finish(const std::vector<torch::Tensor>& p, const torch::Tensor& y, const torch::Tensor& h_n,
              const torch::Tensor& c_n, const torch::Tensor& dy) {
    (y * dy).sum().backward();
    return {y.detach(),  h_n.detach(), c_n.detach(), p[0].grad(),
            p[1].grad(), p[2].grad(),  p[3].grad(),  p[4].grad()};
}

Result run_layer(const Case& c, bool with_state) {
    const std::vector<torch::Tensor> p = leaves(c);
    const LstmLayerOutput out =
        lstm_layer(p[0], {p[1], p[2], p[3], p[4]}, with_state ? c.h0 : torch::Tensor(),
                   with_state ? c.c0 : torch::Tensor());
    return finish(p, out.y, out.h_n, out.c_n, c.dy);
}

Result run_reference(const Case& c, bool with_state) {
    const std::vector<torch::Tensor> p = leaves(c);
    const int64_t I = c.x.size(2), H = c.w.w_hh.size(1);
    torch::nn::LSTM lstm(torch::nn::LSTMOptions(I, H).batch_first(true));
    lstm->to(c.x.scalar_type());
    {
        torch::NoGradGuard no_grad;
        auto named = lstm->named_parameters();
        named["weight_ih_l0"].copy_(p[1]);
        named["weight_hh_l0"].copy_(p[2]);
        named["bias_ih_l0"].copy_(p[3]);
        named["bias_hh_l0"].copy_(p[4]);
    }
    const torch::Tensor h0 = with_state ? c.h0 : torch::zeros_like(c.h0);
    const torch::Tensor c0 = with_state ? c.c0 : torch::zeros_like(c.c0);
    auto [y, hc] = lstm->forward(p[0], std::make_tuple(h0.unsqueeze(0), c0.unsqueeze(0)));
    (y * c.dy).sum().backward();
    auto named = lstm->named_parameters();
    return {y.detach(),
            std::get<0>(hc).squeeze(0).detach(),
            std::get<1>(hc).squeeze(0).detach(),
            p[0].grad(),
            named["weight_ih_l0"].grad(),
            named["weight_hh_l0"].grad(),
            named["bias_ih_l0"].grad(),
            named["bias_hh_l0"].grad()};
}

void expect_same(const Result& ref, const Result& got, double max_nmse) {
    EXPECT_TRUE(tensors_close(ref.y, got.y, max_nmse)) << "y";
    EXPECT_TRUE(tensors_close(ref.h_n, got.h_n, max_nmse)) << "h_n";
    EXPECT_TRUE(tensors_close(ref.c_n, got.c_n, max_nmse)) << "c_n";
    EXPECT_TRUE(tensors_close(ref.dx, got.dx, max_nmse)) << "dx";
    EXPECT_TRUE(tensors_close(ref.dw_ih, got.dw_ih, max_nmse)) << "dw_ih";
    EXPECT_TRUE(tensors_close(ref.dw_hh, got.dw_hh, max_nmse)) << "dw_hh";
    EXPECT_TRUE(tensors_close(ref.db_ih, got.db_ih, max_nmse)) << "db_ih";
    EXPECT_TRUE(tensors_close(ref.db_hh, got.db_hh, max_nmse)) << "db_hh";
}

TEST(LstmLayer, MatchesTorchLstmInFloat64) {
    for (const bool with_state : {false, true}) {
        SCOPED_TRACE(with_state ? "from a given state" : "from zeros");
        const Case c = make_case(3, 13, 5, 7, torch::kFloat64, 1);
        expect_same(run_reference(c, with_state), run_layer(c, with_state), 1e-26);
    }
}

TEST(LstmLayer, MatchesTorchLstmInFloat32) {
    // (I, H) = (64, 64): every product through the small GEMM kernel where the CPU has it;
    // (24, 16): 4H = 64 but the recurrent gradient's N = 16, and a 24-wide input.
    for (const auto& [I, H] : {std::pair<int64_t, int64_t>{64, 64}, {24, 16}}) {
        for (const bool with_state : {false, true}) {
            SCOPED_TRACE(::testing::Message()
                         << "I " << I << " H " << H << " state " << with_state);
            const Case c = make_case(32, 21, I, H, torch::kFloat32, 2);
            expect_same(run_reference(c, with_state), run_layer(c, with_state), 1e-11);
        }
    }
}

TEST(LstmLayer, WithoutGradientGivesTheSameOutput) {
    const Case c = make_case(4, 9, 16, 16, torch::kFloat32, 3);
    const LstmLayerOutput with = lstm_layer(c.x, c.w, c.h0, c.c0);
    torch::NoGradGuard no_grad;
    const LstmLayerOutput without = lstm_layer(c.x, c.w, c.h0, c.c0);
    EXPECT_TRUE(torch::equal(with.y, without.y));
    EXPECT_TRUE(torch::equal(with.c_n, without.c_n));
}

TEST(LstmLayer, GradientMatchesFiniteDifferences) {
    const Case c = make_case(2, 6, 3, 4, torch::kFloat64, 4);
    const Result got = run_layer(c, true);
    const auto loss = [&](const torch::Tensor& x, const torch::Tensor& w_hh) {
        const LstmLayerOutput out = lstm_layer(x, {c.w.w_ih, w_hh, c.w.b_ih, c.w.b_hh}, c.h0, c.c0);
        return (out.y * c.dy).sum().item<double>();
    };
    const double h = 1e-6;
    for (const int64_t i : {0L, 7L, 20L, 35L}) {
        torch::Tensor plus = c.x.clone(), minus = c.x.clone();
        plus.view(-1)[i] += h;
        minus.view(-1)[i] -= h;
        const double numeric = (loss(plus, c.w.w_hh) - loss(minus, c.w.w_hh)) / (2 * h);
        EXPECT_NEAR(got.dx.view(-1)[i].item<double>(), numeric, 1e-7 * (1 + std::abs(numeric)))
            << "x element " << i;
    }
    for (const int64_t i : {0L, 13L, 41L, 63L}) {
        torch::Tensor plus = c.w.w_hh.clone(), minus = c.w.w_hh.clone();
        plus.view(-1)[i] += h;
        minus.view(-1)[i] -= h;
        const double numeric = (loss(c.x, plus) - loss(c.x, minus)) / (2 * h);
        EXPECT_NEAR(got.dw_hh.view(-1)[i].item<double>(), numeric, 1e-7 * (1 + std::abs(numeric)))
            << "w_hh element " << i;
    }
}

TEST(LstmLayer, RejectsBadInputs) {
    const Case c = make_case(2, 5, 3, 4, torch::kFloat32, 5);
    EXPECT_THROW(lstm_layer(c.x[0], c.w), c10::Error);
    EXPECT_THROW(lstm_layer(c.x.narrow(1, 0, 0), c.w), c10::Error);
    EXPECT_THROW(lstm_layer(c.x, {c.w.w_hh, c.w.w_hh, c.w.b_ih, c.w.b_hh}), c10::Error);
    EXPECT_THROW(lstm_layer(c.x.to(torch::kFloat64), c.w), c10::Error);
    EXPECT_THROW(lstm_layer(c.x, c.w, c.h0.narrow(0, 0, 1), c.c0.narrow(0, 0, 1)), c10::Error);
    EXPECT_THROW(lstm_layer(c.x, c.w, c.h0.clone().requires_grad_(true), c.c0), c10::Error);
    const torch::Tensor x = c.x.clone().requires_grad_(true);
    const torch::Tensor y = lstm_layer(x, c.w).y;
    EXPECT_THROW(torch::autograd::grad({y.sum()}, {x}, {}, true, true), c10::Error);
}

}  // namespace
}  // namespace statetrack::model
