// MambaConfig: defaults, the dt_rank formula, strict JSON parsing with errors naming the key,
// the round trip, and the factory's registration of type "mamba".
#include "model/mamba_config.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "model/model_factory.h"
#include "testing/error_of.h"

namespace statetrack::model {
namespace {

using statetrack::testing::error_of;

TEST(MambaConfig, DefaultsAndResolvedDtRank) {
    const MambaConfig c = mamba_config_from_json({{"type", "mamba"}, {"vocab_size", 5}});
    EXPECT_EQ(c.vocab_size, 5);
    EXPECT_EQ(c.n_layers, 2);
    EXPECT_EQ(c.d_model, 128);
    EXPECT_EQ(c.d_state, 16);
    EXPECT_EQ(c.expand, 2);
    EXPECT_EQ(c.d_inner(), 256);
    EXPECT_EQ(c.d_conv, 4);
    EXPECT_EQ(c.dt_rank, 8);  // ceil(128 / 16)
    EXPECT_FALSE(c.negative_eigenvalues);
    EXPECT_EQ(
        mamba_config_from_json({{"type", "mamba"}, {"vocab_size", 5}, {"d_model", 17}}).dt_rank,
        2);  // ceil(17 / 16)
    EXPECT_EQ(
        mamba_config_from_json({{"type", "mamba"}, {"vocab_size", 5}, {"dt_rank", 3}}).dt_rank, 3);
}

TEST(MambaConfig, RoundTripKeepsEveryKey) {
    const nlohmann::json json = {
        {"type", "mamba"}, {"vocab_size", 9}, {"n_layers", 3},
        {"d_model", 24},   {"d_state", 8},    {"expand", 3},
        {"d_conv", 2},     {"dt_rank", 5},    {"negative_eigenvalues", true}};
    const MambaConfig c = mamba_config_from_json(json);
    EXPECT_EQ(mamba_config_to_json(c), json);
    EXPECT_EQ(make_sequence_model(json, 1)->config_json(), json);
}

TEST(MambaConfig, ErrorsNameTheKeyAndValue) {
    auto parse = [](nlohmann::json extra) {
        nlohmann::json json = {{"type", "mamba"}, {"vocab_size", 5}};
        json.update(extra);
        return error_of([&] { mamba_config_from_json(json); });
    };
    EXPECT_NE(parse({{"d_inner", 3}})
                  .find("mamba config: unknown key 'd_inner' (allowed: type, "
                        "vocab_size, n_layers, d_model, d_state, expand, "
                        "d_conv, dt_rank, negative_eigenvalues)"),
              std::string::npos);
    EXPECT_NE(parse({{"d_state", 0}}).find("'d_state' = 0 must be >= 1"), std::string::npos);
    EXPECT_NE(parse({{"n_layers", -1}}).find("'n_layers' = -1 must be >= 1"), std::string::npos);
    EXPECT_NE(parse({{"expand", 0}}).find("'expand' = 0"), std::string::npos);
    EXPECT_NE(parse({{"d_conv", 0}}).find("'d_conv' = 0"), std::string::npos);
    EXPECT_NE(parse({{"dt_rank", -2}}).find("'dt_rank' = -2 must be >= 1, or 0"),
              std::string::npos);
    EXPECT_NE(parse({{"d_model", 1.5}}).find("'d_model' must be an integer, got 1.5"),
              std::string::npos);
    EXPECT_NE(parse({{"negative_eigenvalues", 1}})
                  .find("'negative_eigenvalues' must be true or false, got 1"),
              std::string::npos);
    EXPECT_NE(parse({{"type", "rwkv7"}}).find("'type' must be \"mamba\", got \"rwkv7\""),
              std::string::npos);
    EXPECT_NE(error_of([] {
                  mamba_config_from_json({{"type", "mamba"}});
              }).find("'vocab_size' is required"),
              std::string::npos);
    EXPECT_NE(parse({{"vocab_size", 0}}).find("'vocab_size' = 0 must be >= 1"), std::string::npos);
}

TEST(MambaConfig, FactoryBuildsTypeMambaWithWidthQuantumOne) {
    const auto types = sequence_model_types();
    EXPECT_NE(std::find(types.begin(), types.end(), "mamba"), types.end());
    const nlohmann::json json = {
        {"type", "mamba"}, {"vocab_size", 6}, {"d_model", 20}, {"n_layers", 1}};
    const SequenceModelPtr model = make_sequence_model(json, 3);
    EXPECT_EQ(model->type(), "mamba");
    EXPECT_EQ(model->vocab_size(), 6);
    EXPECT_EQ(width_quantum(json), 1);
    // Budget fitting may land on any width.
    const nlohmann::json fitted = fit_parameter_budget(json, 12345);
    const int64_t d = fitted["d_model"].get<int64_t>();
    nlohmann::json smaller = json, larger = json;
    smaller["d_model"] = d - 1;
    larger["d_model"] = d + 1;
    const int64_t count = make_sequence_model(fitted, 0)->parameter_count();
    EXPECT_LE(std::abs(count - 12345),
              std::abs(make_sequence_model(smaller, 0)->parameter_count() - 12345));
    EXPECT_LE(std::abs(count - 12345),
              std::abs(make_sequence_model(larger, 0)->parameter_count() - 12345));
}

}  // namespace
}  // namespace statetrack::model
