// Run-config parsing: defaults, strictness at every level (unknown keys name the allowed ones),
// bad types and ranges, lengths, and the derived run name.
#include "harness/runs/run_config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <string>

#include "harness/runs/lr_schedule.h"
#include "testing/error_of.h"
#include "testing/run_fixtures.h"

namespace statetrack::harness {
namespace {

using fixtures::tiny_run_config;

// The parse error's message, or "(no error)" when parsing succeeds.
std::string parse_error(const nlohmann::json& j) {
    return statetrack::testing::error_of<std::invalid_argument>([&] { parse_run_config(j); });
}

// The message of load_run_config(path)'s error, or "(no error)".
std::string load_error(const std::string& path) {
    return statetrack::testing::error_of<std::invalid_argument>([&] { load_run_config(path); });
}

void expect_error(const nlohmann::json& j, const std::string& fragment) {
    const std::string message = parse_error(j);
    EXPECT_NE(message.find(fragment), std::string::npos) << "message: '" << message << "'";
}

// tiny_run_config() with j[level][key] = value (level "": the top level), for the tests that
// change one key and read the error.
nlohmann::json config_with(const char* level, const char* key, nlohmann::json value) {
    nlohmann::json j = tiny_run_config();
    (level[0] == '\0' ? j : j[level])[key] = std::move(value);
    return j;
}

TEST(RunConfig, DefaultsAndDerivedValues) {
    const nlohmann::json j = {{"task", {{"spec", "parity"}}}, {"model", {{"type", "rwkv7"}}}};
    const RunConfig c = parse_run_config(j);
    EXPECT_EQ(c.raw, j);
    EXPECT_EQ(c.seed, 1u);
    EXPECT_EQ(c.threads, 0);
    EXPECT_EQ(c.task.train_lengths, (tasks::LengthRange{1, 40}));
    ASSERT_EQ(c.task.test_lengths.size(), 1u);
    EXPECT_EQ(c.task.test_lengths[0], (tasks::LengthRange{1, 80}));
    EXPECT_EQ(c.task.dataset, DatasetMode::kFresh);
    EXPECT_EQ(c.model["vocab_size"], 2);  // parity: 2 tokens, 2 classes
    EXPECT_EQ(c.model_name, "rwkv7");
    EXPECT_EQ(c.optimizer.beta2, 0.999);
    EXPECT_EQ(c.optimizer.eps, 1e-8);
    EXPECT_EQ(c.budget.max_steps, 1000);
    EXPECT_EQ(c.eval.step_mode_length, 0);
    EXPECT_EQ(c.name, "parity-rwkv7-lr0.001-s1");
}

TEST(RunConfig, RwkvRecipeDefaultsAndOverrides) {
    nlohmann::json j = tiny_run_config();
    j["optimizer"] = {{"recipe", "rwkv"}};
    RunConfig c = parse_run_config(j);
    EXPECT_EQ(c.optimizer.beta2, 0.99);
    EXPECT_EQ(c.optimizer.eps, 1e-18);
    EXPECT_EQ(c.optimizer.weight_decay, 1e-3);
    j["optimizer"]["beta2"] = 0.95;
    EXPECT_EQ(parse_run_config(j).optimizer.beta2, 0.95);
}

TEST(RunConfig, VocabularyCoversTokensAndClasses) {
    // S5 by transpositions: 10 input tokens, 120 classes (the group elements).
    nlohmann::json j = tiny_run_config();
    j["task"] = {{"spec", "group:S5/transpositions"}, {"formulation", "state_tagging"}};
    EXPECT_EQ(parse_run_config(j).model["vocab_size"], 120);
    j["model"]["vocab_size"] = 50;
    expect_error(j, "'vocab_size' 50 must be an integer >= 120");
}

TEST(RunConfig, UnknownKeysNameTheAllowedOnesAtEveryLevel) {
    nlohmann::json j = tiny_run_config();
    j["epochs"] = 3;
    expect_error(
        j,
        "run config: unknown key 'epochs' (allowed: name, seed, threads, device, precision, task");
    for (const char* level : {"task", "optimizer", "schedule", "budget", "eval"}) {
        j = tiny_run_config();
        j[level]["bogus"] = 1;
        expect_error(j, std::string("run config: ") + level + ": unknown key 'bogus' (allowed: ");
    }
    j = tiny_run_config();
    j["budget"]["max_step"] = 10;
    expect_error(j, "max_steps");  // the allowed list shows the right spelling
    // Model keys are checked by the model factory when the run builds the model
    // (run_driver_test.cpp), not here.
}

TEST(RunConfig, BadTypesAndValuesNameTheKey) {
    expect_error(config_with("", "seed", "one"), "'seed' must be an integer, got \"one\"");
    expect_error(config_with("", "seed", -1), "'seed' must be >= 0");
    expect_error(config_with("", "seed", std::numeric_limits<uint64_t>::max()),
                 "'seed' = 18446744073709551615 is out of range (at most 9223372036854775807)");
    expect_error(config_with("", "seed", 1.8446744073709552e19), "'seed' must be an integer");
    expect_error(config_with("optimizer", "eps", 0), "'eps' must be > 0, got 0");
    expect_error(config_with("budget", "batch_size", 0), "'batch_size' must be >= 1, got 0");
    expect_error(config_with("budget", "max_steps", 2.5), "'max_steps' must be an integer");
    expect_error(config_with("optimizer", "lr", 0), "'lr' must be > 0");
    expect_error(config_with("optimizer", "beta2", 1.0), "'beta2' must be in [0, 1)");
    expect_error(config_with("optimizer", "recipe", "sgd"), "is not one of: default, rwkv");
    expect_error(config_with("schedule", "min_lr_ratio", 2), "'min_lr_ratio' must be in [0, 1]");
    expect_error(config_with("task", "dataset", "stream"), "is not one of: fresh, fixed");
    expect_error(config_with("task", "formulation", "tagging"), "unknown formulation 'tagging'");
    expect_error(config_with("task", "spec", "no_such_task"), "run config: task: ");
    expect_error(config_with("", "task", "parity"), "run config: task: must be a JSON object");
    expect_error(config_with("", "name", "a/b"), "'name' \"a/b\" may hold only");
    nlohmann::json no_model = tiny_run_config();
    no_model.erase("model");
    expect_error(no_model, "'model' is required");
    nlohmann::json no_type = tiny_run_config();
    no_type["model"].erase("type");
    expect_error(no_type, "model: 'type' is required");
}

TEST(RunConfig, BadLengths) {
    expect_error(config_with("task", "train_lengths", {5, 2}), "range [5,2] needs 1 <= lo <= hi");
    expect_error(config_with("task", "train_lengths", {0, 2}), "needs 1 <= lo <= hi");
    expect_error(config_with("task", "train_lengths", 40),
                 "'train_lengths' must be a range [lo, hi]");
    expect_error(config_with("task", "test_lengths", nlohmann::json::array()),
                 "'test_lengths' must be");
    expect_error(config_with("task", "test_lengths", {{1, 2, 3}}), "must be a range [lo, hi]");
    // Modular arithmetic takes odd lengths only.
    nlohmann::json j = tiny_run_config();
    j["task"] = {{"spec", "modular_arithmetic"}, {"train_lengths", {2, 2}}};
    expect_error(j, "'train_lengths' [2, 2] holds no length task");
}

// Sizes that cannot fit are refused when read, with the estimate, before any data exists.
TEST(RunConfig, SizesThatCannotFitAreRefusedWithTheEstimate) {
    expect_error(config_with("task", "train_lengths", {1, 2000000}),
                 "'train_lengths' range [1,2000000] exceeds the longest supported length");
    const nlohmann::json long_tests = config_with("task", "test_lengths", {1, 1000000});
    expect_error(long_tests, "run config: task: the test set holds ~");
    expect_error(long_tests, "raise 'test_length_stride' or lower 'test_examples_per_length'");
    expect_error(config_with("budget", "batch_size", 1000000000),
                 "run config: budget: one training batch holds ~");
    expect_error(config_with("task", "validation_examples", 10000000000),
                 "run config: task: the validation set holds ~");
    expect_error(config_with("eval", "step_mode_length", 1000000000),
                 "'step_mode_length' = 1000000000 exceeds the limit 10000000");
    expect_error(config_with("model", "n_layers", 100000),
                 "'n_layers' = 100000 exceeds the limit 1024");
    nlohmann::json big_vocab = config_with("model", "vocab_size", 1000000000);
    big_vocab["model"]["d_model"] = 64;
    expect_error(big_vocab, "vocab_size 1000000000 make ~1.3e+11 parameters");
}

TEST(RunConfig, TestLengthForms) {
    nlohmann::json j = tiny_run_config();
    j["task"]["test_lengths"] = {41, 50};
    j["task"]["test_length_stride"] = 4;
    RunConfig c = parse_run_config(j);
    EXPECT_EQ(expand_test_lengths(c.task), (std::vector<int64_t>{41, 45, 49, 50}));
    j["task"]["test_lengths"] = nlohmann::json::parse("[[1, 3], 100, [7, 7], 2]");
    j["task"]["test_length_stride"] = 1;
    c = parse_run_config(j);
    EXPECT_EQ(expand_test_lengths(c.task), (std::vector<int64_t>{1, 2, 3, 7, 100}));
}

TEST(RunConfig, LoadNamesTheFile) {
    EXPECT_NE(load_error("/nonexistent/run.json").find("/nonexistent/run.json"), std::string::npos);
}

// Duplicate keys would otherwise silently keep the last value ("lr": 0.003, "lr": 0.5).
TEST(RunConfig, LoadRejectsDuplicateKeysAndDeepNesting) {
    const auto path = std::filesystem::temp_directory_path() /
                      ("statetrack_run_config_" + std::to_string(::getpid()) + ".json");
    const auto error_of_file = [&](const std::string& text) {
        std::ofstream(path) << text;
        return load_error(path.string());
    };
    nlohmann::json j = tiny_run_config();
    std::string text = j.dump();
    text.insert(text.rfind('}'), R"(, "seed": 7)");
    EXPECT_EQ(error_of_file(text), path.string() + ": invalid JSON: duplicate key \"seed\" in /");
    EXPECT_EQ(error_of_file(std::string(1000, '[')).find(path.string() + ": invalid JSON: nesting"),
              0u);
    EXPECT_EQ(error_of_file(j.dump()), "(no error)");
    std::filesystem::remove(path);
}

TEST(LrSchedule, WarmupThenCosineToTheFloor) {
    ScheduleRunConfig s;
    s.warmup_steps = 4;
    s.min_lr_ratio = 0.1;
    EXPECT_DOUBLE_EQ(scheduled_lr(s, 1.0, 0, 104), 0.25);
    EXPECT_DOUBLE_EQ(scheduled_lr(s, 1.0, 3, 104), 1.0);
    EXPECT_DOUBLE_EQ(scheduled_lr(s, 1.0, 4, 104), 1.0);                 // cosine starts at lr
    EXPECT_NEAR(scheduled_lr(s, 1.0, 54, 104), 0.1 + 0.9 * 0.5, 1e-12);  // halfway
    EXPECT_NEAR(scheduled_lr(s, 1.0, 104, 104), 0.1, 1e-12);
    s.type = "constant";
    EXPECT_DOUBLE_EQ(scheduled_lr(s, 1.0, 90, 104), 1.0);
}

}  // namespace
}  // namespace statetrack::harness
