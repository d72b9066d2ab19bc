// Model family derivation from model.config, and the optional result.json keys it comes with
// (task.max_element_order, task.max_letter_period, model.config): parse, defaults, round trip.
#include "results/model_family.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "results/result_record.h"
#include "results/results_test_support.h"

namespace statetrack::results {
namespace {

using nlohmann::json;
using testing_support::error_of;
using testing_support::make_run;
using testing_support::with_config;

struct FamilyCase {
    json config;
    std::string type;
    std::string family;
};

TEST(ModelFamily, DerivedFromEachConfig) {
    const std::vector<FamilyCase> cases = {
        {{{"type", "transformer"}, {"n_layers", 2}}, "transformer", "attention"},
        {{{"type", "lstm"}}, "lstm", "nonlinear_rnn"},
        {{{"type", "mamba"}, {"negative_eigenvalues", false}}, "mamba", "diagonal_nonneg"},
        {{{"type", "mamba"}}, "mamba", "diagonal_nonneg"},  // the model's default
        {{{"type", "mamba"}, {"negative_eigenvalues", true}}, "mamba", "diagonal_signed"},
        {{{"type", "rwkv7"}, {"transition", "diagonal"}, {"extended_eigenvalues", true}},
         "rwkv7",
         "diagonal_nonneg"},
        {{{"type", "rwkv7"}, {"transition", "full"}, {"extended_eigenvalues", true}},
         "rwkv7",
         "dplr_reflect"},
        {{{"type", "rwkv7"}, {"extended_eigenvalues", false}, {"decay_clamp", false}},
         "rwkv7",
         "dplr_unclamped"},
        {{{"type", "rwkv7"}, {"extended_eigenvalues", false}, {"decay_clamp", true}},
         "rwkv7",
         "dplr_bounded"},
        {{{"type", "rwkv7"}}, "rwkv7", "dplr_bounded"},
        {{{"n_layers", 1}}, "lstm", "nonlinear_rnn"},  // no "type" in the config: model.type
        {{{"type", "mamba"}, {"negative_eigenvalues", "yes"}}, "mamba", "unknown"},
        {{{"type", "rwkv7"}, {"transition", "banded"}}, "rwkv7", "unknown"},
        {{{"type", "hyena"}}, "hyena", "unknown"},
        {nullptr, "transformer", "unknown"},  // no config at all
    };
    for (const FamilyCase& c : cases) {
        EXPECT_EQ(to_string(model_family_of(c.config, c.type)), c.family) << c.config.dump();
    }
}

TEST(ModelFamily, NamesRoundTrip) {
    for (const ModelFamily f : all_model_families()) {
        EXPECT_EQ(parse_model_family(to_string(f)), f);
    }
    EXPECT_EQ(all_model_families().size(), 8u);
    EXPECT_FALSE(parse_model_family("ssm").has_value());
}

TEST(ModelFamily, ParsedRecordCarriesFamilyAndAlgebra) {
    RunResult run = make_run("group:S5", "rwkv7-ext", 1, 0.01, 1, {{5, 1.0}}, "non-solvable");
    run.model.type = "rwkv7";
    run.task.max_element_order = 6;
    run.task.max_letter_period = 2;
    const RunResult parsed = with_config(run, {{"type", "rwkv7"}, {"extended_eigenvalues", true}});
    EXPECT_EQ(parsed.model.family, ModelFamily::kDplrReflect);
    EXPECT_EQ(parsed.task.max_element_order, 6);
    EXPECT_EQ(parsed.task.max_letter_period, 2);
    const json written = run_result_to_json(parsed);
    EXPECT_EQ(written["model"]["config"]["extended_eigenvalues"], true);
    EXPECT_EQ(written["task"]["max_element_order"], 6);
    EXPECT_EQ(run_result_to_json(parse_run_result(written, "a.json")), written);
}

TEST(ModelFamily, OlderFilesWithoutTheKeysStillParse) {
    const RunResult run = make_run("parity", "lstm", 1, 0.01, 1, {{5, 1.0}});
    const json written = run_result_to_json(run);
    EXPECT_FALSE(written["task"].contains("max_element_order"));
    EXPECT_FALSE(written["model"].contains("config"));
    const RunResult parsed = parse_run_result(written, "a.json");
    EXPECT_EQ(parsed.task.max_element_order, 0);
    EXPECT_EQ(parsed.task.max_letter_period, 0);
    EXPECT_EQ(parsed.model.family, ModelFamily::kUnknown);
    EXPECT_TRUE(parsed.model.config.is_null());
}

TEST(ModelFamily, BadOptionalKeysNameTheKey) {
    json j = run_result_to_json(make_run("parity", "lstm", 1, 0.01, 1, {{5, 1.0}}));
    j["task"]["max_element_order"] = 0;
    EXPECT_EQ(error_of([&] { parse_run_result(j, "r.json"); }),
              "r.json: task.max_element_order: 0 is below the minimum 1");
    j["task"].erase("max_element_order");
    j["task"]["max_letter_period"] = 1.5;
    EXPECT_EQ(error_of([&] { parse_run_result(j, "r.json"); }),
              "r.json: task.max_letter_period: expected an integer, got 1.5");
    j["task"].erase("max_letter_period");
    j["model"]["config"] = "lstm";
    EXPECT_EQ(error_of([&] { parse_run_result(j, "r.json"); }),
              "r.json: model.config: expected an object, got string");
}

}  // namespace
}  // namespace statetrack::results
