// The whole RWKV-7 model's autograd gradient against central finite differences, in float64:
// every parameter (a few entries of each) and the carried state. The training step's fast ops
// (kernels/token_shift_mix.h, kernels/relu_square.h, kernels/wkv7.h) each have their own
// gradient tests; this one checks that the model wires them together right, including the
// gradient into a chunk's incoming state (token shift and WKV state).
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <functional>
#include <utility>
#include <vector>

#include "rwkv7_test_util.h"

namespace statetrack::model {
namespace {

using testing::perturbed_model;
using testing::random_tokens;
using testing::tiny_config;

constexpr double kStep = 1e-6;

// <logits, weights> after one chunk from `state`: a scalar every logit and state entry feeds.
double loss_of(Rwkv7Model& model, const torch::Tensor& tokens, const Rwkv7State& state,
               const torch::Tensor& weights) {
    return (model->forward(tokens, state).logits * weights).sum().item<double>();
}

// Central difference of loss_of in entry `i` of tensor `t` (modified in place and restored).
double finite_difference(torch::Tensor t, int64_t i, const std::function<double()>& loss) {
    torch::NoGradGuard no_grad;
    torch::Tensor entry = t.view(-1)[i];
    const double original = entry.item<double>();
    entry.fill_(original + kStep);
    const double up = loss();
    entry.fill_(original - kStep);
    const double down = loss();
    entry.fill_(original);
    return (up - down) / (2 * kStep);
}

// First, middle and last entry of a tensor of n entries.
std::vector<int64_t> sample_entries(int64_t n) { return {0, n / 2, n - 1}; }

TEST(Rwkv7Gradient, EveryParameterAndTheStateMatchFiniteDifferences) {
    Rwkv7Model model = perturbed_model(tiny_config(), torch::kFloat64);
    const torch::Tensor tokens = random_tokens(2, 6, 11, 4);
    torch::manual_seed(5);
    const torch::Tensor weights = torch::randn({2, 6, 11}, torch::kFloat64);
    // A non-zero incoming state, so its gradient path is exercised.
    Rwkv7State state = model->initial_state(2);
    for (Rwkv7LayerState& layer : state.layers) {
        for (torch::Tensor* t : {&layer.att_x_prev, &layer.wkv, &layer.ffn_x_prev}) {
            *t = (0.5 * torch::randn_like(*t)).requires_grad_(true);
        }
    }
    model->zero_grad();
    (model->forward(tokens, state).logits * weights).sum().backward();
    const auto loss = [&] {
        torch::NoGradGuard no_grad;
        return loss_of(model, tokens, state, weights);
    };
    int checked = 0;
    for (const auto& item : model->named_parameters()) {
        const torch::Tensor& p = item.value();
        // No gradient only where the loss does not depend on p (layer 0's v0, v1, v2).
        const torch::Tensor grad = p.grad().defined() ? p.grad() : torch::zeros_like(p);
        for (int64_t i : sample_entries(p.numel())) {
            const double fd = finite_difference(p, i, loss);
            EXPECT_NEAR(grad.view(-1)[i].item<double>(), fd, 1e-6 * (1 + std::abs(fd)))
                << item.key() << "[" << i << "]";
            ++checked;
        }
    }
    for (size_t l = 0; l < state.layers.size(); ++l) {
        Rwkv7LayerState& layer = state.layers[l];
        for (auto [t, name] : {std::pair{&layer.att_x_prev, "att_x_prev"},
                               std::pair{&layer.wkv, "wkv"}, std::pair{&layer.ffn_x_prev, "ffn_x_prev"}}) {
            for (int64_t i : sample_entries(t->numel())) {
                const double fd = finite_difference(*t, i, loss);
                EXPECT_NEAR(t->grad().view(-1)[i].item<double>(), fd, 1e-6 * (1 + std::abs(fd)))
                    << "layers[" << l << "]." << name << "[" << i << "]";
            }
        }
    }
    EXPECT_GT(checked, 100);
}

}  // namespace
}  // namespace statetrack::model
