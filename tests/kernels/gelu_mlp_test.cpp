// gelu_mlp (kernels/gelu_mlp.h): value and every gradient bit for bit equal to the separate ops
// it fuses (kernels::linear → kernels::gelu → kernels::linear), and close to LibTorch's own
// (F::linear, torch::gelu); the composition where the node does not apply; partial gradients;
// clear errors.
#include "kernels/gelu_mlp.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <string>
#include <vector>

#include "kernels/activations.h"
#include "kernels/linear.h"
#include "tests/testing/tensor_compare.h"

namespace statetrack::kernels {
namespace {

namespace F = torch::nn::functional;
using statetrack::testing::tensors_close;

// The output and the gradients of Σ y·g with respect to x, w1, b1, w2, b2 (undefined where the
// input is undefined or not a leaf that wants one).
std::vector<torch::Tensor> run(
    const std::function<torch::Tensor(const std::vector<torch::Tensor>&)>& f,
    const std::vector<torch::Tensor>& inputs, const torch::Tensor& g,
    const std::vector<bool>& wants = {true, true, true, true, true}) {
    std::vector<torch::Tensor> leaves;
    for (size_t i = 0; i < inputs.size(); ++i) {
        leaves.push_back(inputs[i].defined()
                             ? inputs[i].detach().clone().requires_grad_(bool(wants[i]))
                             : inputs[i]);
    }
    const torch::Tensor y = f(leaves);
    y.backward(g);
    std::vector<torch::Tensor> out{y.detach()};
    for (const torch::Tensor& t : leaves) {
        out.push_back(t.defined() ? t.grad() : t);
    }
    return out;
}

torch::Tensor fused(const std::vector<torch::Tensor>& t) {
    return gelu_mlp(t[0], t[1], t[2], t[3], t[4]);
}
torch::Tensor separate(const std::vector<torch::Tensor>& t) {
    return linear(kernels::gelu(linear(t[0], t[1], t[2])), t[3], t[4]);
}
torch::Tensor libtorch(const std::vector<torch::Tensor>& t) {
    return F::linear(torch::gelu(F::linear(t[0], t[1], t[2])), t[3], t[4]);
}

const char* const kNames[] = {"y", "dx", "dw1", "db1", "dw2", "db2"};

std::vector<torch::Tensor> inputs(int64_t F, bool biases, torch::Dtype dtype = torch::kFloat32) {
    torch::manual_seed(21);
    const auto bias = [&](int64_t n) {
        return biases ? torch::randn({n}, dtype) : torch::Tensor();
    };
    return {torch::randn({8, 41, 64}, dtype), torch::randn({F, 64}, dtype) * 0.2, bias(F),
            torch::randn({48, F}, dtype) * 0.2, bias(48)};
}

TEST(GeluMlp, EqualsTheSeparateOpsBitForBitAndLibTorchWithinRounding) {
    // F 256 runs the kernel's epilogue; F 20 (not a multiple of 8) small_mm's at::mm fallback.
    for (int64_t F : {256, 20}) {
        for (bool biases : {true, false}) {
            SCOPED_TRACE(::testing::Message() << "F " << F << " biases " << biases);
            const std::vector<torch::Tensor> in = inputs(F, biases);
            const torch::Tensor g = torch::randn({8, 41, 48});
            const std::vector<torch::Tensor> got = run(fused, in, g);
            const std::vector<torch::Tensor> want = run(separate, in, g);
            const std::vector<torch::Tensor> ref = run(libtorch, in, g);
            for (size_t i = 0; i < got.size(); ++i) {
                if (!want[i].defined()) {
                    EXPECT_FALSE(got[i].defined()) << kNames[i];
                    continue;
                }
                EXPECT_TRUE(torch::equal(got[i], want[i])) << kNames[i];
                EXPECT_TRUE(tensors_close(ref[i], got[i], 1e-11)) << kNames[i];
            }
        }
    }
}

TEST(GeluMlp, OtherDtypesRunTheComposition) {
    const std::vector<torch::Tensor> in = inputs(256, true, torch::kFloat64);
    const torch::Tensor g = torch::randn({8, 41, 48}, torch::kFloat64);
    const std::vector<torch::Tensor> got = run(fused, in, g), ref = run(libtorch, in, g);
    for (size_t i = 0; i < got.size(); ++i) {
        EXPECT_TRUE(tensors_close(ref[i], got[i], 1e-26)) << kNames[i];
    }
}

TEST(GeluMlp, OnlyTheWantedGradientsAreComputed) {
    const std::vector<torch::Tensor> in = inputs(256, true);
    const torch::Tensor g = torch::randn({8, 41, 48});
    // Only the second Linear trains: no dh product at all; only x: no weight gradients.
    for (const std::vector<bool>& wants : {std::vector<bool>{false, false, false, true, true},
                                           {true, false, false, false, false},
                                           {false, true, false, false, false}}) {
        const std::vector<torch::Tensor> got = run(fused, in, g, wants);
        const std::vector<torch::Tensor> want = run(separate, in, g, wants);
        for (size_t i = 1; i < got.size(); ++i) {
            ASSERT_EQ(got[i].defined(), bool(wants[i - 1])) << kNames[i];
            if (wants[i - 1]) {
                EXPECT_TRUE(torch::equal(got[i], want[i])) << kNames[i];
            }
        }
    }
}

TEST(GeluMlp, WithoutGradientsItIsTheComposition) {
    const std::vector<torch::Tensor> in = inputs(256, true);
    torch::NoGradGuard no_grad;
    EXPECT_TRUE(torch::equal(fused(in), separate(in)));
}

TEST(GeluMlp, BadShapesAndDoubleBackwardAreClearErrors) {
    std::vector<torch::Tensor> in = inputs(256, true);
    for (torch::Tensor& t : in) {
        t.requires_grad_(true);
    }
    EXPECT_THROW(gelu_mlp(in[0], in[1], in[2], in[3].slice(1, 0, 255), in[4]), c10::Error);
    EXPECT_THROW(gelu_mlp(in[0], in[1], in[2].slice(0, 0, 255), in[3], in[4]), c10::Error);
    EXPECT_THROW(gelu_mlp(in[0], in[1], in[2], in[3], in[4].slice(0, 0, 47)), c10::Error);
    const torch::Tensor y = fused(in).square().sum();
    try {
        torch::autograd::grad({y}, {in[0]}, {}, /*retain_graph=*/true, /*create_graph=*/true);
        FAIL() << "create_graph through gelu_mlp did not throw";
    } catch (const c10::Error& e) {
        EXPECT_NE(std::string(e.what()).find("double backward"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace statetrack::kernels
