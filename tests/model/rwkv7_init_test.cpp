// The reference initialisation (docs/rwkv7.md §9, current init): specific tensors checked
// against hand-computed values and against algebraic facts (orthogonality, bounds).
#include "model/rwkv7_init.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "model/rwkv7_model.h"
#include "model/rwkv7_weights.h"
#include "rwkv7_test_util.h"

namespace statetrack::model {
namespace {

// C = 64, N = 16 (4 heads), L = 3, V = 100 > C.
Rwkv7Config init_config() {
    Rwkv7Config c;
    c.vocab_size = 100;
    c.n_layers = 3;
    c.d_model = 64;
    c.head_size = 16;
    return resolve_rwkv7_config(c);
}

class Rwkv7Init : public ::testing::Test {
  protected:
    Rwkv7Model model = make_rwkv7_model(init_config(), 42);
    NamedTensors p = rwkv7_named_tensors(*model);

    double at(const std::string& name, int64_t n) {
        return p.at(name).to(torch::kFloat64).flatten()[n].item<double>();
    }
    // max |W Wᵀ - gain² I| (rows <= cols) or |Wᵀ W - gain² I| (rows > cols).
    double orthogonality_error(const std::string& name, double gain) {
        const torch::Tensor w = p.at(name).to(torch::kFloat64);
        const torch::Tensor gram = w.size(0) <= w.size(1) ? w.matmul(w.t()) : w.t().matmul(w);
        const torch::Tensor eye = torch::eye(gram.size(0), torch::kFloat64) * gain * gain;
        return (gram - eye).abs().max().item<double>();
    }
};

TEST_F(Rwkv7Init, DecayBiasW0MatchesHandComputedValues) {
    // zigzag(0) = -1 and zigzag(15) = +1 for N = 16; n/(C-1) = 0 and 1 at the ends.
    EXPECT_NEAR(at("blocks.0.att.w0", 0), -6.0 + 0.5 - 2.5, 1e-6);         // -8
    EXPECT_NEAR(at("blocks.0.att.w0", 63), -6.0 + 6.0 + 0.5 + 2.5, 1e-6);  // 3
    // Layer 0 (r0 = 0): exponent 1. n = 8: zigzag = (0.5/7.5)² = 1/225.
    EXPECT_NEAR(at("blocks.0.att.w0", 8), -6.0 + 6.0 * 8.0 / 63.0 + 0.5 + 2.5 / 225.0, 1e-6);
    // Last layer (r0 = 1): exponent 2. n = 40: 40 mod 16 = 8, zigzag = 1/225 again.
    EXPECT_NEAR(at("blocks.2.att.w0", 40),
                -6.0 + 6.0 * std::pow(40.0 / 63.0, 2.0) + 0.5 + 2.5 / 225.0, 1e-6);
    // Middle layer (r0 = 0.5): exponent 1 + 0.5^0.3. n = 23: 23 mod 16 = 7, zigzag = -1/225.
    EXPECT_NEAR(at("blocks.1.att.w0", 23),
                -6.0 + 6.0 * std::pow(23.0 / 63.0, 1.0 + std::pow(0.5, 0.3)) + 0.5 - 2.5 / 225.0,
                1e-6);
}

TEST_F(Rwkv7Init, TimeMixCoefficientsAtFirstAndLastLayer) {
    // Layer 0: r1 = 1, so x_k = 1 - (n/C)^0.7; n = 0 gives exactly 1.
    EXPECT_EQ(at("blocks.0.att.x_r", 0), 1.0);
    EXPECT_NEAR(at("blocks.0.att.x_r", 32), 1.0 - std::pow(0.5, 0.2), 1e-6);
    EXPECT_NEAR(at("blocks.0.att.x_w", 32), 1.0 - std::pow(0.5, 0.9), 1e-6);
    EXPECT_NEAR(at("blocks.0.att.x_k", 16), 1.0 - std::pow(0.25, 0.7), 1e-6);
    EXPECT_NEAR(at("blocks.0.att.x_v", 16), 1.0 - std::pow(0.25, 0.7), 1e-6);
    EXPECT_NEAR(at("blocks.0.att.x_a", 48), 1.0 - std::pow(0.75, 0.9), 1e-6);
    EXPECT_NEAR(at("blocks.0.att.x_g", 48), 1.0 - std::pow(0.75, 0.2), 1e-6);
    EXPECT_NEAR(at("blocks.0.ffn.x_k", 32), 0.5, 1e-6);  // 1 - (1/2)^(1^4)
    // Last layer: r1 = 1 - 2/3 = 1/3.
    EXPECT_NEAR(at("blocks.2.att.x_r", 32), 1.0 - std::pow(0.5, 0.2 / 3.0), 1e-6);
    EXPECT_NEAR(at("blocks.2.att.x_w", 32), 1.0 - std::pow(0.5, 0.3), 1e-6);
    EXPECT_NEAR(at("blocks.2.ffn.x_k", 32), 1.0 - std::pow(0.5, 1.0 / 81.0), 1e-6);
}

TEST_F(Rwkv7Init, PerChannelBiasesAndConstants) {
    // linear(0) = -0.5, linear(63) = 0.5; zigzag(0) = -1.
    EXPECT_NEAR(at("blocks.1.att.a0", 0), -0.19 - 0.3 - 0.2, 1e-6);
    EXPECT_NEAR(at("blocks.1.att.a0", 63), -0.19 + 0.3 + 0.2, 1e-6);
    EXPECT_NEAR(at("blocks.1.att.v0", 0), 0.73 + 0.2, 1e-6);
    EXPECT_NEAR(at("blocks.1.att.k_k", 63), 0.71 - 0.05, 1e-6);
    EXPECT_TRUE(torch::allclose(p.at("blocks.2.att.k_a"), torch::full({1, 1, 64}, 1.02)));
    EXPECT_TRUE(torch::allclose(p.at("blocks.0.att.r_k"), torch::full({4, 16}, -0.04)));
    // GroupNorm scale ((1+l)/L)^0.7, bias 0.
    EXPECT_NEAR(at("blocks.0.att.ln_x.weight", 5), std::pow(1.0 / 3.0, 0.7), 1e-6);
    EXPECT_NEAR(at("blocks.2.att.ln_x.weight", 5), 1.0, 1e-6);
    EXPECT_EQ(p.at("blocks.1.att.ln_x.bias").abs().max().item<float>(), 0.0f);
    for (const char* ln : {"blocks.0.ln0", "blocks.1.ln1", "blocks.2.ln2", "ln_out"}) {
        EXPECT_TRUE(torch::equal(p.at(std::string(ln) + ".weight"), torch::ones({64}))) << ln;
        EXPECT_TRUE(torch::equal(p.at(std::string(ln) + ".bias"), torch::zeros({64}))) << ln;
    }
}

TEST_F(Rwkv7Init, ZeroInitialisedProjections) {
    for (const std::string name :
         {"att.output.weight", "ffn.value.weight", "att.w1", "att.a1", "att.v1", "att.g1"}) {
        for (int l = 0; l < 3; ++l) {
            const std::string full = "blocks." + std::to_string(l) + "." + name;
            EXPECT_EQ(p.at(full).abs().max().item<float>(), 0.0f) << full;
        }
    }
}

TEST_F(Rwkv7Init, OrthogonalMatricesHaveTheSpecGains) {
    EXPECT_LT(orthogonality_error("blocks.0.att.receptance.weight", 1.0), 1e-5);
    EXPECT_LT(orthogonality_error("blocks.1.att.value.weight", 1.0), 1e-5);
    EXPECT_LT(orthogonality_error("blocks.2.att.key.weight", 0.1), 1e-6);
    EXPECT_LT(orthogonality_error("blocks.0.ffn.key.weight", 1.0), 1e-5);  // (4C, C)
    for (const char* lora : {"w2", "a2", "v2", "g2"}) {  // (D, C) with D <= C: gain 0.1
        EXPECT_LT(orthogonality_error(std::string("blocks.1.att.") + lora, 0.1), 1e-6) << lora;
    }
    // head (V, C) with V = 100 > C = 64: gain 0.5·√(V/C).
    EXPECT_LT(orthogonality_error("head.weight", 0.5 * std::sqrt(100.0 / 64.0)), 1e-5);
    // The gains above are not trivially satisfied: a wrong gain is far off.
    EXPECT_GT(orthogonality_error("blocks.2.att.key.weight", 1.0), 0.5);
}

TEST_F(Rwkv7Init, EmbeddingIsSmallUniform) {
    const torch::Tensor emb = p.at("emb.weight").to(torch::kFloat64);
    EXPECT_LE(emb.abs().max().item<double>(), 1e-4);
    // U(-b, b) has standard deviation b/√3; 6400 samples give ~1% relative error.
    EXPECT_NEAR(emb.std().item<double>(), 1e-4 / std::sqrt(3.0), 5e-6);
    EXPECT_NEAR(emb.mean().item<double>(), 0.0, 5e-6);
}

TEST(Rwkv7InitEdgeCases, LoraWiderThanModelGetsTheRowsOverColsBoost) {
    // C = 16 with LoRA width 32: w2 is (32, 16), gain 0.1·√2, columns orthogonal.
    Rwkv7Config c;
    c.vocab_size = 8;  // V < C: head gain 0.5
    c.n_layers = 1;
    c.d_model = 16;
    c.head_size = 16;
    const Rwkv7Model model = make_rwkv7_model(resolve_rwkv7_config(c), 3);
    const NamedTensors p = rwkv7_named_tensors(*model);
    const torch::Tensor w2 = p.at("blocks.0.att.w2").to(torch::kFloat64);
    ASSERT_EQ(w2.sizes(), torch::IntArrayRef({32, 16}));
    EXPECT_TRUE(
        torch::allclose(w2.t().matmul(w2), torch::eye(16, torch::kFloat64) * 0.02, 0, 1e-6));
    const torch::Tensor head = p.at("head.weight").to(torch::kFloat64);  // (8, 16)
    EXPECT_TRUE(
        torch::allclose(head.matmul(head.t()), torch::eye(8, torch::kFloat64) * 0.25, 0, 1e-6));
}

TEST(Rwkv7InitEdgeCases, OneLayerModelUsesR0EqualZero) {
    // The reference divides by n_layer - 1 = 0 here; we take r0 = 0 (the first-layer value):
    // w0 exponent 1, so w0[n] is linear in n apart from the zigzag term.
    Rwkv7Config c = testing::tiny_config(1);
    const Rwkv7Model model = make_rwkv7_model(c, 5);
    const NamedTensors p = rwkv7_named_tensors(*model);
    const torch::Tensor w0 = p.at("blocks.0.att.w0").flatten().to(torch::kFloat64);
    EXPECT_NEAR(w0[8].item<double>(), -6.0 + 6.0 * 8.0 / 31.0 + 0.5 + 2.5 / 225.0, 1e-6);
    for (const auto& item : p) {
        EXPECT_TRUE(torch::isfinite(item.second).all().item<bool>()) << item.first;
    }
    // ln_x scale ((1+0)/1)^0.7 = 1.
    EXPECT_TRUE(torch::allclose(p.at("blocks.0.att.ln_x.weight"), torch::ones({32})));
}

TEST(Rwkv7InitEdgeCases, SeedDeterminesTheWeights) {
    const Rwkv7Config c = testing::tiny_config();
    const NamedTensors a = rwkv7_named_tensors(*make_rwkv7_model(c, 11));
    const NamedTensors b = rwkv7_named_tensors(*make_rwkv7_model(c, 11));
    const NamedTensors other = rwkv7_named_tensors(*make_rwkv7_model(c, 12));
    for (const auto& item : a) {
        EXPECT_TRUE(torch::equal(item.second, b.at(item.first))) << item.first;
    }
    EXPECT_FALSE(torch::equal(a.at("head.weight"), other.at("head.weight")));
    EXPECT_FALSE(torch::equal(a.at("emb.weight"), other.at("emb.weight")));
}

}  // namespace
}  // namespace statetrack::model
