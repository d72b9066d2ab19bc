// clear_gradients, gradient_norm, scale_gradients (model/parameter_gradients.h) against LibTorch:
// the norm against a float64 sum over every gradient element, the scaling bit for bit against
// Tensor::mul_, both over the raw-loop gradients (float32, float64) and the fallback ones (a
// strided gradient); clearing against zero_grad's zeros: the next backward gives the same values.
#include "model/parameter_gradients.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <vector>

namespace statetrack::model {
namespace {

// Four parameters: float32 and float64 with contiguous gradients, float32 with a transposed
// (non-contiguous) one, and one without a gradient.
std::vector<torch::Tensor> params_with_gradients() {
    torch::manual_seed(7);
    std::vector<torch::Tensor> params = {
        torch::randn({37, 5}).requires_grad_(true),
        torch::randn({19}, torch::kFloat64).requires_grad_(true),
        torch::randn({6, 9}).requires_grad_(true),
        torch::randn({4}).requires_grad_(true),
    };
    params[0].mutable_grad() = torch::randn({37, 5}) * 3.0;
    params[1].mutable_grad() = torch::randn({19}, torch::kFloat64);
    params[2].mutable_grad() = torch::randn({9, 6}).t();
    return params;
}

TEST(ParameterGradients, NormIsTheFloat64NormOfEveryGradientElement) {
    const std::vector<torch::Tensor> params = params_with_gradients();
    ASSERT_FALSE(params[2].grad().is_contiguous());  // the fallback path is exercised
    double squares = 0.0;
    for (const torch::Tensor& p : params) {
        if (p.grad().defined()) {
            squares += p.grad().to(torch::kFloat64).pow(2).sum().item<double>();
        }
    }
    const double got = gradient_norm(params);
    EXPECT_NEAR(got, std::sqrt(squares), 1e-7 * std::sqrt(squares));
    EXPECT_GT(got, 10.0);  // not trivially small: 185 elements of N(0, 9) alone give ~40
    EXPECT_EQ(gradient_norm({params[3]}), 0.0);
    EXPECT_EQ(gradient_norm({}), 0.0);
}

TEST(ParameterGradients, ScalingRoundsAsMulDoes) {
    const std::vector<torch::Tensor> params = params_with_gradients();
    std::vector<torch::Tensor> expected;
    for (const torch::Tensor& p : params) {
        expected.push_back(p.grad().defined() ? p.grad().clone().mul_(0.37123) : torch::Tensor());
    }
    scale_gradients(params, 0.37123);
    for (size_t i = 0; i < params.size(); ++i) {
        if (expected[i].defined()) {
            EXPECT_TRUE(torch::equal(params[i].grad(), expected[i])) << "parameter " << i;
        } else {
            EXPECT_FALSE(params[i].grad().defined()) << "parameter " << i;
        }
    }
}

TEST(ParameterGradients, ClearingGivesTheGradientsZeroingGives) {
    torch::manual_seed(3);
    torch::nn::Linear used(8, 4);
    const torch::Tensor unused = torch::randn({3}).requires_grad_(true);
    std::vector<torch::Tensor> params = used->parameters();
    params.push_back(unused);
    const torch::Tensor x = torch::randn({5, 8});
    const auto backward = [&] { used(x).pow(2).sum().backward(); };

    backward();
    backward();                              // accumulates: twice the gradient
    for (const torch::Tensor& p : params) {  // zero_grad's zeros, then one backward
        if (p.grad().defined()) {
            p.grad().zero_();
        }
    }
    backward();
    std::vector<torch::Tensor> zeroed;
    for (const torch::Tensor& p : used->parameters()) {
        zeroed.push_back(p.grad().clone());
    }

    clear_gradients(params);
    for (const torch::Tensor& p : params) {
        EXPECT_FALSE(p.grad().defined());
    }
    backward();
    for (size_t i = 0; i < zeroed.size(); ++i) {
        EXPECT_TRUE(torch::equal(used->parameters()[i].grad(), zeroed[i])) << "parameter " << i;
    }
    EXPECT_FALSE(unused.grad().defined());
}

}  // namespace
}  // namespace statetrack::model
