// Rwkv7Config: LoRA width formula against the spec's table, strict JSON parsing, validation.
#include "model/rwkv7_config.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "testing/error_of.h"

namespace statetrack::model {
namespace {

using statetrack::testing::error_of;

TEST(Rwkv7Config, LoraDimsMatchTheSpecTableOfCurrentWidths) {
    // docs/rwkv7.md §9.3, "current" column: C -> (w, a, v, g).
    struct Row {
        int64_t C, w, a, v, g;
    };
    const Row rows[] = {{64, 32, 32, 32, 32},      {128, 32, 32, 32, 64},
                        {256, 32, 32, 32, 64},     {512, 64, 64, 32, 128},
                        {768, 64, 64, 32, 128},    {1024, 64, 64, 64, 160},
                        {2048, 128, 128, 64, 224}, {2560, 128, 128, 96, 256}};
    for (const Row& row : rows) {
        const Rwkv7Config c = rwkv7_config_from_json(
            {{"type", "rwkv7"}, {"vocab_size", 10}, {"d_model", row.C}, {"head_size", 64}});
        EXPECT_EQ(c.dim_w, row.w) << "C=" << row.C;
        EXPECT_EQ(c.dim_a, row.a) << "C=" << row.C;
        EXPECT_EQ(c.dim_v, row.v) << "C=" << row.C;
        EXPECT_EQ(c.dim_g, row.g) << "C=" << row.C;
    }
}

TEST(Rwkv7Config, LoraRoundingIsPythonsHalfToEven) {
    // 2.5·√C/32 = 2.5 exactly at C = 1024: Python's round gives 2, so 64 (not 96).
    EXPECT_EQ(rwkv7_lora_dim(2.5, 1024), 64);
    // 3.5 -> 4 (half to even rounds up here).
    EXPECT_EQ(rwkv7_lora_dim(3.5, 1024), 128);
    EXPECT_EQ(rwkv7_lora_dim(0.1, 16), 32);  // floor of 32
}

TEST(Rwkv7Config, DefaultsAndExplicitDimsAndRoundTrip) {
    const Rwkv7Config c =
        rwkv7_config_from_json({{"type", "rwkv7"}, {"vocab_size", 7}, {"dim_g", 48}});
    EXPECT_EQ(c.n_layers, 2);
    EXPECT_EQ(c.d_model, 128);
    EXPECT_EQ(c.head_size, 64);
    EXPECT_EQ(c.n_heads(), 2);
    EXPECT_EQ(c.d_ffn(), 512);
    EXPECT_EQ(c.dim_g, 48);
    EXPECT_EQ(c.dim_w, 32);
    const Rwkv7Config again = rwkv7_config_from_json(rwkv7_config_to_json(c));
    EXPECT_EQ(rwkv7_config_to_json(again), rwkv7_config_to_json(c));
}

TEST(Rwkv7Config, UnknownKeyNamesTheKeyAndTheAllowedOnes) {
    const std::string message = error_of([] {
        rwkv7_config_from_json({{"type", "rwkv7"}, {"vocab_size", 7}, {"n_layer", 3}});
    });
    EXPECT_NE(message.find("unknown key 'n_layer'"), std::string::npos) << message;
    EXPECT_NE(message.find("allowed: type, vocab_size, n_layers, d_model, head_size"),
              std::string::npos)
        << message;
}

TEST(Rwkv7Config, RejectsBadValuesWithTheKeyInTheMessage) {
    const auto message = [](nlohmann::json j) {
        return error_of([&] { rwkv7_config_from_json(j); });
    };
    const nlohmann::json base = {{"type", "rwkv7"}, {"vocab_size", 7}};
    auto with = [&](const char* key, nlohmann::json value) {
        nlohmann::json j = base;
        j[key] = value;
        return message(j);
    };
    EXPECT_NE(with("head_size", 48).find("'head_size' = 48 is not supported"), std::string::npos);
    EXPECT_NE(with("d_model", 100).find("'d_model' = 100"), std::string::npos);
    EXPECT_NE(with("n_layers", 0).find("'n_layers' = 0"), std::string::npos);
    EXPECT_NE(with("n_layers", 1.5).find("'n_layers' must be an integer"), std::string::npos);
    EXPECT_NE(with("dim_w", -1).find("'dim_w' = -1"), std::string::npos);
    EXPECT_NE(with("type", "transformer").find("'type' must be \"rwkv7\""), std::string::npos);
    EXPECT_NE(message({{"type", "rwkv7"}}).find("'vocab_size' is required"), std::string::npos);
    EXPECT_NE(message(nlohmann::json::array()).find("must be a JSON object"), std::string::npos);
}

}  // namespace
}  // namespace statetrack::model
