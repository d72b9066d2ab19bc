// `statetrack sweep` in every build, torch-free included: --dry-run lists the grid's points (one
// per combination of the axes' values, in index order) and writes nothing; `run`, and a sweep
// that would train, say in one line that they need LibTorch when the build has none.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "harness/runs/build_info.h"
#include "testing/cli_capture.h"
#include "testing/scratch_dir.h"

namespace statetrack::harness {
namespace {
namespace fs = std::filesystem;
using testing_cli::run_cli;

// 2 tasks x 3 depths x 2 seeds = 12 runs.
std::string write_sweep(const statetrack::testing::ScratchDir& dir) {
    const nlohmann::json sweep = {
        {"name", "dry"},
        {"base",
         {{"seed", 1},
          {"task", {{"spec", "parity"}, {"train_lengths", {1, 8}}, {"test_lengths", {1, 10}}}},
          {"model", {{"type", "lstm"}, {"d_model", 8}}},
          {"budget", {{"max_steps", 2}}}}},
        {"axes",
         {{{"path", "task.spec"}, {"values", {"parity", "tomita3"}}},
          {{"path", "model.n_layers"}, {"values", {1, 2, 3}}},
          {{"path", "seed"}, {"values", {1, 2}}}}}};
    const std::string path = dir.sub("sweep.json");
    std::ofstream(path) << sweep.dump(2);
    return path;
}

TEST(CliSweep, DryRunListsEveryPointAndWritesNothing) {
    const statetrack::testing::ScratchDir dir;
    const std::string out = dir.sub("out");
    const auto r = run_cli({"sweep", write_sweep(dir), "--dry-run", "--json", "--out", out});
    ASSERT_EQ(r.code, 0) << r.err;
    const nlohmann::json points = nlohmann::json::parse(r.out);
    ASSERT_EQ(points.size(), 12u);
    std::set<std::string> ids;
    for (size_t i = 0; i < points.size(); ++i) {
        EXPECT_EQ(points[i]["index"], i);
        ids.insert(points[i]["id"].get<std::string>());
    }
    EXPECT_EQ(ids.size(), 12u);  // every point its own run folder
    EXPECT_FALSE(fs::exists(out));
    // A shard lists its part only: 2/3 of 12 runs is 4.
    const auto shard =
        run_cli({"sweep", write_sweep(dir), "--dry-run", "--json", "--shard", "2/3"});
    ASSERT_EQ(shard.code, 0) << shard.err;
    EXPECT_EQ(nlohmann::json::parse(shard.out).size(), 4u);
}

TEST(CliSweep, TrainingCommandsSayTheyNeedLibTorchInATorchFreeBuild) {
    if (built_with_torch()) {
        GTEST_SKIP() << "a torch build: run and sweep train (tests/cli/cli_run_test.cpp)";
    }
    const statetrack::testing::ScratchDir dir;
    const std::string sweep = write_sweep(dir);
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"run", sweep}, {"model", "info", "--config", sweep}, {"sweep", sweep}}) {
        const auto r = run_cli(args);
        EXPECT_NE(r.code, 0) << args[0];
        EXPECT_EQ(r.out, "");
        EXPECT_EQ(r.err.rfind("statetrack: error: ", 0), 0u) << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
        EXPECT_NE(r.err.find("built without LibTorch"), std::string::npos) << r.err;
    }
    EXPECT_FALSE(fs::exists("sweeps/dry"));  // the sweep's default --out
}

}  // namespace
}  // namespace statetrack::harness
