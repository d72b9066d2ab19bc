// Shared helpers for the results tests: the fixture sweep (fixtures/generate_fixtures.py), a
// scratch directory per test, small in-memory runs, and JSON/file utilities.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "results/result_record.h"
#include "testing/error_of.h"
#include "testing/read_text.h"
#include "testing/scratch_dir.h"

namespace statetrack::results::testing_support {

// fixtures/sweep: 3 tasks x 3 models x depths {1, 2} x seeds {1, 2} complete runs + 1 failed.
inline std::filesystem::path fixture_sweep() {
    return std::filesystem::path(__FILE__).parent_path() / "fixtures" / "sweep";
}

inline std::filesystem::path fixture_run(const std::string& run_id) {
    return fixture_sweep() / "runs" / run_id / "result.json";
}

using statetrack::testing::ScratchDir;

using statetrack::testing::read_text;

inline nlohmann::json read_json(const std::filesystem::path& path) {
    return nlohmann::json::parse(read_text(path));
}

inline void write_json(const std::filesystem::path& path, const nlohmann::json& j) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << j.dump(2);
}

// A complete run with one parallel test entry per (length, sequence accuracy); token accuracy
// equals sequence accuracy (one scored position), chance 0.5, train lengths [1, 10].
inline RunResult make_run(const std::string& task, const std::string& model, int64_t layers,
                          double lr, int64_t seed,
                          const std::vector<std::pair<int64_t, double>>& accuracy_by_length,
                          const std::string& algebraic_class = "solvable") {
    RunResult r;
    r.run_id = task + "-" + model + "-L" + std::to_string(layers) + "-lr" + std::to_string(lr) +
               "-s" + std::to_string(seed);
    r.labels = {task, model, layers, 16, lr, seed};
    r.task.spec = task;
    r.task.formulation = "final_label";
    r.task.algebraic_class = algebraic_class;
    r.task.circuit_class = "n/a";
    r.task.train_lengths = {1, 10};
    r.task.test_lengths = {1, 100};
    r.model = {model, 1000 * layers, 64 * layers};
    r.environment.git_commit = "abc";
    r.environment.statetrack_version = "0.1.0";
    r.training.steps = 10;
    r.training.stop_reason = StopReason::kMaxSteps;
    for (const auto& [length, acc] : accuracy_by_length) {
        r.evaluation.push_back(
            {"test", EvalMode::kParallel, length, 10, length <= 10, {acc, acc, 2.0 * acc - 1.0}});
    }
    return r;
}

// The run as a report reads it: written with run_result_to_json (model.config = `config`) and
// parsed back, so ModelFacts::family is derived the way a result.json's is.
inline RunResult with_config(RunResult run, const nlohmann::json& config) {
    run.model.config = config;
    return parse_run_result(run_result_to_json(run), run.run_id + "/result.json");
}

// How many times `needle` occurs in `text`, overlapping occurrences included.
inline size_t count(const std::string& text, const std::string& needle) {
    size_t n = 0;
    for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
        ++n;
    }
    return n;
}

// EXPECT that `fragment` occurs in `text`; the failure names the fragment, since a whole report
// is too long to print usefully.
inline void expect_contains(const std::string& text, const std::string& fragment) {
    EXPECT_NE(text.find(fragment), std::string::npos) << "missing: " << fragment;
}

// EXPECT, for each neighbouring pair of `fragments`, that the first occurrence of the earlier
// one comes before that of the later one. A missing later fragment reads as npos and passes, so
// a caller ASSERTs the presence of the fragment its check depends on.
inline void expect_in_order(const std::string& text, const std::vector<std::string>& fragments) {
    for (size_t i = 1; i < fragments.size(); ++i) {
        EXPECT_LT(text.find(fragments[i - 1]), text.find(fragments[i]))
            << "'" << fragments[i - 1] << "' before '" << fragments[i] << "'";
    }
}

// The message of the std::invalid_argument `f` throws, or "(no error)".
template <typename F>
std::string error_of(F&& f) {
    return statetrack::testing::error_of<std::invalid_argument>(f);
}

}  // namespace statetrack::results::testing_support
