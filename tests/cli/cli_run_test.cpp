// `statetrack run` end to end, in-process: a tiny config trains, evaluates and writes
// result.json where it says; a finished run is refused unless --force; a bad config is one
// error line and writes nothing; --json prints the record on stdout; progress lines on stderr.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/cli/cli.h"
#include "results/result_record.h"
#include "testing/cli_capture.h"
#include "testing/run_fixtures.h"

namespace statetrack::harness {
namespace {

namespace fs = std::filesystem;

using testing_cli::CliResult;
using testing_cli::run_cli;

std::string write_config(const fixtures::ScratchDir& scratch, const nlohmann::json& config) {
    const std::string path = scratch.sub("config.json");
    std::ofstream(path) << config.dump(2);
    return path;
}

TEST(CliRun, TrainsAndWritesTheResult) {
    fixtures::ScratchDir scratch("cli_run");
    const std::string config = write_config(scratch, fixtures::tiny_run_config());
    const std::string out = scratch.sub("runs/tiny");
    const CliResult r = run_cli({"run", config, "--out", out, "--threads", "1"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(r.out.empty());
    const std::string result_path = out + "/result.json";
    EXPECT_NE(r.err.find("result: " + result_path), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("run 1/1 ["), std::string::npos) << r.err;  // plain progress line
    std::ifstream in(result_path);
    const nlohmann::json result = nlohmann::json::parse(in);
    EXPECT_EQ(result["status"], "complete");
    EXPECT_EQ(result["environment"]["threads"], 1);
    // The contract with results/: the record the trainer wrote is one the report side reads.
    const results::RunResult parsed = results::parse_run_result(result, result_path);
    EXPECT_EQ(parsed.run_id, "tiny");
    EXPECT_FALSE(parsed.evaluation.empty());
    // One schema both ways: every key the trainer wrote is one the reader's types hold.
    EXPECT_EQ(results::run_result_to_json(parsed), result);

    const CliResult again = run_cli({"run", config, "--out", out});
    EXPECT_EQ(again.code, 1);
    EXPECT_NE(again.err.find("already finished"), std::string::npos) << again.err;
    EXPECT_EQ(std::count(again.err.begin(), again.err.end(), '\n'), 1) << again.err;

    const CliResult forced = run_cli({"run", config, "--out", out, "--force", "--json"});
    ASSERT_EQ(forced.code, 0) << forced.err;
    const nlohmann::json printed = nlohmann::json::parse(forced.out);
    EXPECT_EQ(printed["run_id"], "tiny");
    // Same config, same thread count (the config's threads: 1): the same curve.
    EXPECT_EQ(printed["training"]["curve"].size(), result["training"]["curve"].size());
    EXPECT_EQ(printed["training"]["curve"][3]["loss"], result["training"]["curve"][3]["loss"]);
}

TEST(CliRun, BadConfigIsOneLineAndWritesNothing) {
    fixtures::ScratchDir scratch("cli_run_bad");
    nlohmann::json config = fixtures::tiny_run_config();
    config["budget"]["epochs"] = 2;
    const std::string path = write_config(scratch, config);
    const std::string out = scratch.sub("runs/x");
    const CliResult r = run_cli({"run", path, "--out", out});
    EXPECT_EQ(r.code, 1);
    EXPECT_EQ(r.err.rfind("statetrack: error: run config: budget: unknown key 'epochs'", 0), 0u)
        << r.err;
    EXPECT_NE(r.err.find(path), std::string::npos);
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_FALSE(fs::exists(out));

    std::ofstream(path) << "{\"task\": ";
    const CliResult broken = run_cli({"run", path, "--out", out});
    EXPECT_EQ(broken.code, 1);
    EXPECT_NE(broken.err.find("invalid JSON"), std::string::npos) << broken.err;
    EXPECT_FALSE(fs::exists(out));
}

}  // namespace
}  // namespace statetrack::harness
