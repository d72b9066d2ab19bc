// TransformerConfig parsing (defaults, strictness, validation messages), the factory entry
// points (registration, round trip, width quantum, budget fitting) and the GPT-2 style init.
#include "model/transformer_config.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "model/model_factory.h"
#include "testing/error_of.h"
#include "transformer_test_util.h"

namespace statetrack::model {
namespace {

using nlohmann::json;

std::string parse_error(const json& config) {
    return statetrack::testing::error_of<std::invalid_argument>(
        [&] { transformer_config_from_json(config); });
}

json with(json config, const std::string& key, json value) {
    config[key] = std::move(value);
    return config;
}

const json kMinimal = {{"type", "transformer"}, {"vocab_size", 5}};

TEST(TransformerConfig, DefaultsAreResolvedAndWrittenBack) {
    const TransformerConfig c = transformer_config_from_json(kMinimal);
    EXPECT_EQ(c.n_layers, 2);
    EXPECT_EQ(c.d_model, 128);
    EXPECT_EQ(c.n_heads, 4);
    EXPECT_EQ(c.d_ff, 512);
    EXPECT_EQ(c.positional, PositionalEncoding::kRope);
    EXPECT_TRUE(c.causal);
    EXPECT_EQ(c.max_seq_len, 4096);
    EXPECT_EQ(c.dropout, 0.0);
    const json expected = {{"type", "transformer"}, {"vocab_size", 5}, {"n_layers", 2},
                           {"d_model", 128},        {"n_heads", 4},    {"d_ff", 512},
                           {"positional", "rope"},  {"causal", true},  {"max_seq_len", 4096},
                           {"dropout", 0.0}};
    EXPECT_EQ(transformer_config_to_json(c), expected);
    EXPECT_EQ(make_sequence_model(kMinimal, 0)->config_json(), expected);
}

TEST(TransformerConfig, ErrorsNameTheKeyAndTheChoices) {
    EXPECT_NE(parse_error(with(kMinimal, "n_head", 4))
                  .find("unknown key 'n_head' (allowed: type, vocab_size, n_layers, d_model, "
                        "n_heads, d_ff, positional, causal, max_seq_len, dropout)"),
              std::string::npos);
    EXPECT_NE(parse_error(with(kMinimal, "positional", "relative"))
                  .find("'positional' = \"relative\" is not one of: none, sinusoidal, learned, "
                        "rope, alibi"),
              std::string::npos);
    EXPECT_NE(parse_error(with(with(kMinimal, "d_model", 30), "positional", "alibi"))
                  .find("'d_model' = 30 must be a positive multiple of n_heads = 4"),
              std::string::npos);
    // Head size 3: fine for ALiBi, not for RoPE.
    const json odd_heads = with(kMinimal, "d_model", 12);
    EXPECT_NO_THROW(transformer_config_from_json(with(odd_heads, "positional", "alibi")));
    EXPECT_NE(parse_error(odd_heads).find("even head size"), std::string::npos);
    EXPECT_NE(parse_error({{"type", "transformer"}}).find("'vocab_size' is required"),
              std::string::npos);
    EXPECT_NE(parse_error(with(kMinimal, "type", "rwkv7")).find("must be \"transformer\""),
              std::string::npos);
    EXPECT_NE(parse_error(with(kMinimal, "dropout", 1.0)).find("'dropout' = 1 must be in [0, 1)"),
              std::string::npos);
    EXPECT_NE(parse_error(with(kMinimal, "causal", "yes")).find("'causal' must be true or false"),
              std::string::npos);
    EXPECT_NE(parse_error(with(kMinimal, "n_layers", 0)).find("'n_layers' = 0 must be >= 1"),
              std::string::npos);
}

TEST(TransformerConfig, FactoryBuildsRoundTripsAndFitsBudgets) {
    const json config = {
        {"type", "transformer"},      {"vocab_size", 7}, {"d_model", 48}, {"n_heads", 3},
        {"positional", "sinusoidal"}, {"causal", false}};
    const SequenceModelPtr model = make_sequence_model(config, 1);
    EXPECT_EQ(model->type(), "transformer");
    EXPECT_FALSE(model->is_causal());
    EXPECT_EQ(model->vocab_size(), 7);
    const SequenceModelPtr rebuilt = make_sequence_model(model->config_json(), 1);
    EXPECT_EQ(rebuilt->parameter_count(), model->parameter_count());
    EXPECT_EQ(rebuilt->config_json(), model->config_json());
    const auto types = sequence_model_types();
    EXPECT_NE(std::find(types.begin(), types.end(), "transformer"), types.end());

    EXPECT_EQ(width_quantum(config), 3);
    EXPECT_EQ(width_quantum(with(config, "positional", "rope")), 6);
    EXPECT_EQ(width_quantum(kMinimal), 8);  // defaults: 4 heads, rope
    EXPECT_THROW(width_quantum(with(kMinimal, "positional", "relative")), std::invalid_argument);

    // The fitted width is a multiple of the quantum whose count is closest to the budget.
    const json budget_config = {{"type", "transformer"}, {"vocab_size", 7}};  // rope, 4 heads
    const json fitted = fit_parameter_budget(budget_config, 100000);
    const int64_t d = fitted["d_model"].get<int64_t>();
    EXPECT_EQ(d % 8, 0);
    const auto count = [&](int64_t width) {
        return make_sequence_model(with(budget_config, "d_model", width), 0)->parameter_count();
    };
    EXPECT_LE(std::abs(count(d) - 100000), std::abs(count(d + 8) - 100000));
    EXPECT_LE(std::abs(count(d) - 100000), std::abs(count(d - 8) - 100000));
}

TEST(TransformerInit, DeterministicGpt2StatisticsAndGlobalRngUntouched) {
    const json config = {{"type", "transformer"},
                         {"vocab_size", 64},
                         {"n_layers", 2},
                         {"positional", "learned"},
                         {"max_seq_len", 256}};
    torch::manual_seed(5);
    const double expected_draw = torch::rand({1}).item<double>();
    torch::manual_seed(5);
    const SequenceModelPtr a = make_sequence_model(config, 11);
    EXPECT_EQ(torch::rand({1}).item<double>(), expected_draw);  // global generator not advanced

    const SequenceModelPtr b = make_sequence_model(config, 11);
    const SequenceModelPtr c = make_sequence_model(config, 12);
    const auto pa = a->named_parameters();
    const auto pb = b->named_parameters();
    const auto pc = c->named_parameters();
    for (const auto& item : pa) {
        EXPECT_TRUE(torch::equal(item.value(), pb[item.key()])) << item.key();
    }
    EXPECT_FALSE(torch::equal(pa["blocks.0.attn.qkv.weight"], pc["blocks.0.attn.qkv.weight"]));

    // Std estimates over >= 16k draws are within ~1% of the target; 5% bounds are safe.
    const auto near_std = [&](const std::string& name, double target) {
        const double std = pa[name].std().item<double>();
        EXPECT_NEAR(std, target, 0.05 * target) << name;
        EXPECT_NEAR(pa[name].mean().item<double>(), 0.0, 0.05 * target) << name;
    };
    const double residual = 0.02 / std::sqrt(4.0);  // 0.02/√(2L), L = 2
    for (const char* name : {"tok_emb.weight", "pos_emb.weight", "blocks.0.attn.qkv.weight",
                             "blocks.1.fc.weight", "head.weight"}) {
        near_std(name, 0.02);
    }
    near_std("blocks.0.attn.out.weight", residual);
    near_std("blocks.1.proj.weight", residual);
    for (const auto& item : pa) {
        const std::string& name = item.key();
        if (name.find(".bias") != std::string::npos) {
            EXPECT_EQ(item.value().abs().max().item<double>(), 0.0) << name;
        } else if (name.find("ln") != std::string::npos) {
            EXPECT_TRUE(torch::equal(item.value(), torch::ones_like(item.value()))) << name;
        }
    }
}

}  // namespace
}  // namespace statetrack::model
