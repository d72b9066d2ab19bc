// transformer_attention_core (model/transformer_attention_core.h) against its torch-ops
// reference: the output and the gradient of qkv, with and without RoPE, with the causal mask, a
// per-head ALiBi-style bias or none, in float64 (to ~1e-28 NMSE) and float32; the no-gradient
// forward; the gradient against finite differences; the input checks. The reference's formulas
// are checked through the whole model (transformer_model_test.cpp) and RoPE on its own
// (transformer_positional_test.cpp).
#include "model/transformer_attention_core.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <limits>
#include <string>

#include "model/transformer_attention.h"
#include "tests/testing/tensor_compare.h"

namespace statetrack::model {
namespace {

using statetrack::testing::tensors_close;

constexpr int64_t B = 3;

// Head count, head size, length: a generic head size (8), one the loops specialise (16) over
// more than one block of 16 keys, and one whose q and k of a position (2·H·N = 12 values) are
// not whole blocks of 16 (RoPE's pairwise tail).
struct Shape {
    int64_t H, N, T;
};
constexpr Shape kShapes[] = {{2, 8, 11}, {3, 16, 37}, {1, 6, 19}};

// kHoles: the causal mask plus -inf at every third key of each row (never its last key), so
// masked keys also sit inside a row's span, not only past its end.
enum class Bias { kNone, kCausal, kPerHead, kHoles };

struct Case {
    int64_t H, N, T;
    torch::Tensor qkv, dy, bias;
    RopeTables rope;
};

Case make_case(Bias bias, torch::ScalarType dtype, uint64_t seed, Shape shape = kShapes[0]) {
    torch::manual_seed(seed);
    const int64_t H = shape.H, N = shape.N, T = shape.T, C = H * N;
    Case c;
    c.H = H, c.N = N, c.T = T;
    c.qkv = torch::randn({B, T, 3 * C}, dtype);
    c.dy = torch::randn({B, T, C}, dtype);
    c.rope = rope_tables(0, T, N, torch::TensorOptions().dtype(dtype));
    if (bias == Bias::kCausal) {
        c.bias = causal_mask_bias(0, T, T, torch::TensorOptions().dtype(dtype));
    } else if (bias == Bias::kPerHead) {  // ALiBi-like, plus the mask
        c.bias = causal_mask_bias(0, T, T, torch::TensorOptions().dtype(dtype)) +
                 torch::randn({H, T, T}, dtype);
    } else if (bias == Bias::kHoles) {
        const auto options = torch::TensorOptions().dtype(dtype);
        const torch::Tensor key = torch::arange(T, options.dtype(torch::kInt64));
        const torch::Tensor holes =
            (key % 3 == 1).unsqueeze(0) & (key.unsqueeze(0) < key.unsqueeze(1));
        c.bias = causal_mask_bias(0, T, T, options)
                     .masked_fill(holes.unsqueeze(0), -std::numeric_limits<double>::infinity());
    }
    return c;
}

// Output and qkv gradient of `fn` on a fresh leaf copy of c.qkv.
std::pair<torch::Tensor, torch::Tensor> run(torch::Tensor (*fn)(const AttentionCoreInputs&),
                                            const Case& c, bool rotary) {
    const torch::Tensor qkv = c.qkv.clone().requires_grad_(true);
    const torch::Tensor y = fn({qkv, c.H, rotary ? &c.rope : nullptr, c.bias});
    y.backward(c.dy);
    return {y.detach(), qkv.grad()};
}

void expect_matches_reference(torch::ScalarType dtype, double max_nmse) {
    for (const Shape shape : kShapes) {
        for (const Bias bias : {Bias::kNone, Bias::kCausal, Bias::kPerHead, Bias::kHoles}) {
            for (const bool rotary : {false, true}) {
                const Case c = make_case(bias, dtype, 10 + static_cast<int>(bias), shape);
                const auto [y_ref, d_ref] = run(&transformer_attention_core_reference, c, rotary);
                const auto [y, d] = run(&transformer_attention_core, c, rotary);
                const std::string where = "N " + std::to_string(shape.N) + ", bias " +
                                          std::to_string(static_cast<int>(bias)) +
                                          (rotary ? ", rope" : ", no rope");
                EXPECT_TRUE(tensors_close(y_ref, y, max_nmse)) << "output, " << where;
                EXPECT_TRUE(tensors_close(d_ref, d, max_nmse)) << "dqkv, " << where;
            }
        }
    }
}

TEST(TransformerAttentionCore, MatchesTheReferenceInFloat64) {
    expect_matches_reference(torch::kFloat64, 1e-26);
}

TEST(TransformerAttentionCore, MatchesTheReferenceInFloat32) {
    expect_matches_reference(torch::kFloat32, 1e-11);
}

TEST(TransformerAttentionCore, ForwardWithoutGradientIsTheSame) {
    const Case c = make_case(Bias::kCausal, torch::kFloat64, 3);
    const torch::Tensor with = transformer_attention_core({c.qkv, c.H, &c.rope, c.bias});
    torch::NoGradGuard no_grad;
    const torch::Tensor without = transformer_attention_core({c.qkv, c.H, &c.rope, c.bias});
    EXPECT_TRUE(torch::equal(with, without));
}

TEST(TransformerAttentionCore, GradientMatchesFiniteDifferences) {
    const Case c = make_case(Bias::kPerHead, torch::kFloat64, 5, kShapes[1]);
    const int64_t C = c.H * c.N;
    const auto loss = [&](const torch::Tensor& qkv) {
        return (transformer_attention_core({qkv, c.H, &c.rope, c.bias}) * c.dy)
            .sum()
            .item<double>();
    };
    const auto [y, grad] = run(&transformer_attention_core, c, true);
    const double h = 1e-6;
    for (const int64_t i : {0L, 17L, 3 * C + 5, 2 * C + 9, 7 * 3 * C + C + 2, 90 * 3 * C - 1}) {
        torch::Tensor plus = c.qkv.clone(), minus = c.qkv.clone();
        plus.view(-1)[i] += h;
        minus.view(-1)[i] -= h;
        const double numeric = (loss(plus) - loss(minus)) / (2 * h);
        EXPECT_NEAR(grad.view(-1)[i].item<double>(), numeric, 1e-7 * (1 + std::abs(numeric)))
            << "element " << i;
    }
}

// attention_cpu.h: a query row that may attend to no key gets zero output and passes no
// gradient (where softmax would give NaN); the other rows are unaffected.
TEST(TransformerAttentionCore, AFullyMaskedRowIsZero) {
    Case c = make_case(Bias::kCausal, torch::kFloat64, 7, kShapes[1]);
    const int64_t masked = 20, C = c.H * c.N;
    c.bias = c.bias.clone();
    c.bias[0][masked].fill_(-std::numeric_limits<double>::infinity());
    const auto [y, d] = run(&transformer_attention_core, c, true);
    EXPECT_TRUE(torch::equal(y.select(1, masked), torch::zeros({B, C}, y.options())));
    EXPECT_TRUE(
        torch::equal(d.select(1, masked).narrow(1, 0, C), torch::zeros({B, C}, d.options())))
        << "no gradient reaches the masked row's query";
    const auto [y_ref, d_ref] = run(&transformer_attention_core_reference, c, true);
    EXPECT_TRUE(tensors_close(y_ref.narrow(1, 0, masked), y.narrow(1, 0, masked), 1e-26));
    EXPECT_TRUE(tensors_close(y_ref.narrow(1, masked + 1, c.T - masked - 1),
                              y.narrow(1, masked + 1, c.T - masked - 1), 1e-26));
}

TEST(TransformerAttentionCore, RejectsBadShapesAndTrainableConstants) {
    const Case c = make_case(Bias::kCausal, torch::kFloat32, 1);
    EXPECT_THROW(transformer_attention_core({c.qkv, 5, nullptr, c.bias}), c10::Error);
    EXPECT_THROW(transformer_attention_core({c.qkv, c.H, nullptr, c.bias.expand({3, c.T, c.T})}),
                 c10::Error);
    const RopeTables short_tables = rope_tables(0, c.T - 1, c.N, c.qkv.options());
    EXPECT_THROW(transformer_attention_core({c.qkv, c.H, &short_tables, c.bias}), c10::Error);
    const torch::Tensor trainable = c.bias.clone().requires_grad_(true);
    EXPECT_THROW(transformer_attention_core({c.qkv, c.H, nullptr, trainable}), c10::Error);
}

}  // namespace
}  // namespace statetrack::model
