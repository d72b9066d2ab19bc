// kernels::embedding against F::embedding: the same rows forward, and the weight's gradient
// (rows added in position order, as LibTorch's) equal up to float rounding, with repeated and
// unused tokens; no-grad and non-CPU-loop dtypes take the plain paths; bad tokens are a clear
// error.
#include "kernels/embedding.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "tests/testing/tensor_compare.h"

namespace statetrack::kernels {
namespace {

using statetrack::testing::tensors_close;

struct EmbeddingRun {
    torch::Tensor y, dweight;
};

template <typename F>
EmbeddingRun run(F f, const torch::Tensor& tokens, const torch::Tensor& weight0,
                 const torch::Tensor& g) {
    const torch::Tensor weight = weight0.detach().clone().requires_grad_(true);
    const torch::Tensor y = f(tokens, weight);
    y.backward(g);
    return {y.detach(), weight.grad()};
}

TEST(Embedding, MatchesFEmbeddingValueAndWeightGradient) {
    torch::manual_seed(4);
    for (const auto dtype : {torch::kFloat32, torch::kFloat64}) {
        // Tokens from 0..5 of a vocabulary of 9: rows 6..8 get no gradient (exactly 0).
        const torch::Tensor tokens = torch::randint(0, 6, {7, 13}, torch::kInt64);
        const torch::Tensor weight = torch::randn({9, 24}, dtype);
        const torch::Tensor g = torch::randn({7, 13, 24}, dtype);
        const EmbeddingRun got = run(&kernels::embedding, tokens, weight, g);
        const EmbeddingRun ref =
            run([](const torch::Tensor& t,
                   const torch::Tensor& w) { return torch::nn::functional::embedding(t, w); },
                tokens, weight, g);
        EXPECT_TRUE(torch::equal(got.y, ref.y));
        EXPECT_TRUE(
            tensors_close(got.dweight, ref.dweight, dtype == torch::kFloat32 ? 1e-6 : 1e-13));
        EXPECT_TRUE(torch::equal(got.dweight.slice(0, 6), torch::zeros({3, 24}, dtype)));
        // The gradient of token 0's row is the sum of g over its positions, in float64.
        const torch::Tensor mask = (tokens == 0).unsqueeze(-1).to(torch::kFloat64);
        EXPECT_TRUE(tensors_close(got.dweight[0].to(torch::kFloat64),
                                  (g.to(torch::kFloat64) * mask).sum(0).sum(0), 1e-6));
    }
}

TEST(Embedding, PlainPathsAndBadTokens) {
    const torch::Tensor weight = torch::randn({5, 3});
    const torch::Tensor tokens = torch::tensor({4, 0, 4}, torch::kInt64);
    {
        torch::NoGradGuard no_grad;
        EXPECT_TRUE(
            torch::equal(kernels::embedding(tokens, weight), weight.index_select(0, tokens)));
    }
    const torch::Tensor half = weight.to(torch::kBFloat16);
    EXPECT_TRUE(torch::equal(kernels::embedding(tokens, half), half.index_select(0, tokens)));
    EXPECT_THROW(kernels::embedding(torch::tensor({5}, torch::kInt64), weight), c10::Error);
    EXPECT_THROW(kernels::embedding(tokens.to(torch::kInt32), weight), c10::Error);
}

TEST(Embedding, DoubleBackwardIsAClearError) {
    const torch::Tensor weight = torch::randn({5, 3}).requires_grad_(true);
    const torch::Tensor y = kernels::embedding(torch::tensor({1, 2}, torch::kInt64), weight);
    try {
        torch::autograd::grad({y.sum()}, {weight}, {}, /*retain_graph=*/true,
                              /*create_graph=*/true);
        FAIL() << "expected an error";
    } catch (const c10::Error& e) {
        EXPECT_NE(std::string(e.what_without_backtrace()).find("double backward"),
                  std::string::npos);
    }
}

}  // namespace
}  // namespace statetrack::kernels
