// Positional encodings against known facts: sinusoidal table values, RoPE's relative-position
// property, Press et al.'s ALiBi slopes (power-of-two and interpolated head counts) and bias.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/positional_encoding.h"
#include "transformer_test_util.h"

namespace statetrack::model {
namespace {

const auto kF64 = torch::TensorOptions().dtype(torch::kFloat64);

TEST(TransformerPositional, SinusoidalTableKnownValues) {
    const torch::Tensor table = sinusoidal_table(0, 5, 8, kF64);
    ASSERT_EQ(table.sizes(), torch::IntArrayRef({5, 8}));
    for (int64_t i = 0; i < 4; ++i) {
        EXPECT_EQ(table[0][2 * i].item<double>(), 0.0);      // sin(0)
        EXPECT_EQ(table[0][2 * i + 1].item<double>(), 1.0);  // cos(0)
    }
    EXPECT_DOUBLE_EQ(table[1][0].item<double>(), std::sin(1.0));
    EXPECT_DOUBLE_EQ(table[1][1].item<double>(), std::cos(1.0));
    // Pair i = 1 has frequency 10000^(-2/8) = 0.1.
    EXPECT_NEAR(table[3][2].item<double>(), std::sin(0.3), 1e-15);
    EXPECT_NEAR(table[4][3].item<double>(), std::cos(0.4), 1e-15);
    // Rows of a later chunk are the same rows of the full table (step mode relies on it).
    EXPECT_TRUE(torch::equal(sinusoidal_table(3, 2, 8, kF64), table.slice(0, 3, 5)));
    // An odd width ends with the sin of the next pair.
    const torch::Tensor odd = sinusoidal_table(2, 1, 3, kF64);
    EXPECT_NEAR(odd[0][2].item<double>(), std::sin(2.0 * std::pow(10000.0, -2.0 / 3.0)), 1e-15);
}

TEST(TransformerPositional, RopeDotProductDependsOnlyOnTheOffset) {
    const int64_t N = 16;
    at::Generator generator = at::detail::createCPUGenerator(3);
    const torch::Tensor q = torch::randn({N}, generator, kF64);
    const torch::Tensor k = torch::randn({N}, generator, kF64);
    const auto rotated_dot = [&](int64_t m, int64_t n) {
        const torch::Tensor qm = rope_rotate(q.view({1, N}), rope_tables(m, 1, N, kF64));
        const torch::Tensor kn = rope_rotate(k.view({1, N}), rope_tables(n, 1, N, kF64));
        return (qm * kn).sum().item<double>();
    };
    const double base = rotated_dot(7, 3);
    for (const int64_t shift : {1, 10, 500}) {
        EXPECT_NEAR(rotated_dot(7 + shift, 3 + shift), base, 1e-10) << shift;
    }
    // ...while a different offset gives a different product, and rotation keeps the norm.
    EXPECT_GT(std::abs(rotated_dot(8, 3) - base), 1e-3);
    const torch::Tensor rotated = rope_rotate(q.view({1, N}), rope_tables(123, 1, N, kF64));
    EXPECT_NEAR(rotated.norm().item<double>(), q.norm().item<double>(), 1e-12);
    // Position 0 is the identity; pair 0 turns by exactly the position in radians.
    EXPECT_TRUE(torch::allclose(rope_rotate(q.view({1, N}), rope_tables(0, 1, N, kF64)),
                                q.view({1, N}), 0.0, 1e-15));
    const torch::Tensor e0 = torch::zeros({1, N}, kF64).index_put_({0, 0}, 1.0);
    const torch::Tensor turned = rope_rotate(e0, rope_tables(2, 1, N, kF64));
    EXPECT_NEAR(turned[0][0].item<double>(), std::cos(2.0), 1e-15);
    EXPECT_NEAR(turned[0][1].item<double>(), std::sin(2.0), 1e-15);
}

TEST(TransformerPositional, AlibiSlopesPowerOfTwoAndInterpolated) {
    const std::vector<double> eight = alibi_slopes(8);
    ASSERT_EQ(eight.size(), 8u);
    for (int h = 1; h <= 8; ++h) {
        EXPECT_DOUBLE_EQ(eight[h - 1], std::ldexp(1.0, -h)) << h;
    }
    // 6 heads: the 4-head slopes 2^-2, 2^-4, 2^-6, 2^-8, then 8-head slopes 2^-1, 2^-3.
    const std::vector<double> six = alibi_slopes(6);
    const std::vector<double> expected_six = {0.25, 0.0625, 0.015625, 0.00390625, 0.5, 0.125};
    ASSERT_EQ(six.size(), expected_six.size());
    for (size_t h = 0; h < six.size(); ++h) {
        EXPECT_DOUBLE_EQ(six[h], expected_six[h]) << h;
    }
    EXPECT_DOUBLE_EQ(alibi_slopes(1)[0], std::ldexp(1.0, -8));
    EXPECT_EQ(alibi_slopes(12).size(), 12u);
}

TEST(TransformerPositional, AlibiBiasIsMinusSlopeTimesDistance) {
    const torch::Tensor bias = alibi_bias({0.5, 0.25}, 2, 2, 4, kF64);  // queries at 2, 3
    ASSERT_EQ(bias.sizes(), torch::IntArrayRef({2, 2, 4}));
    const torch::Tensor expected =
        torch::tensor({-1.0, -0.5, 0.0, -0.5, -1.5, -1.0, -0.5, 0.0}, kF64).view({2, 4});
    EXPECT_TRUE(torch::equal(bias[0], expected));
    EXPECT_TRUE(torch::equal(bias[1], expected * 0.5));
}

TEST(TransformerPositional, NamesRoundTripAndBadNamesListTheChoices) {
    for (const std::string& name : positional_encoding_names()) {
        EXPECT_EQ(positional_encoding_name(parse_positional_encoding(name)), name);
    }
    try {
        parse_positional_encoding("relative");
        FAIL() << "no error";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("none, sinusoidal, learned, rope, alibi"),
                  std::string::npos)
            << e.what();
    }
}

}  // namespace
}  // namespace statetrack::model
