// Sweeps: grid expansion and ids, shards, resume without redoing finished runs, the minimum-
// depth search (deeper depths skipped once one reaches the threshold), and shard merging. Runs
// are simulated by a launcher that spawns /bin/sh to write a result.json whose accuracy is a
// fixed function of the run config, so the logic is tested without training anything.
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "harness/runs/sweep_config.h"
#include "harness/runs/sweep_grid.h"
#include "harness/runs/sweep_merge.h"
#include "harness/runs/sweep_runner.h"
#include "testing/error_of.h"
#include "testing/read_text.h"
#include "testing/scratch_dir.h"

extern char** environ;

namespace statetrack::harness {
namespace {
namespace fs = std::filesystem;

// Depth 1 solves "easy", depth 3 solves "hard".
double fake_accuracy(const nlohmann::json& config) {
    const int64_t depth = config["model"].value("n_layers", int64_t{1});
    const int64_t needed = config["task"]["spec"] == "easy" ? 1 : 3;
    return depth >= needed ? 0.99 : 0.3;
}

struct FakeLauncher {
    std::vector<std::string> launched;    // run folders, in launch order
    std::vector<WorkerSettings> workers;  // the settings of each launch, in launch order
    std::set<std::string> fail_once;      // run ids that exit 1 without a result the first time

    RunLauncher launcher() {
        return [this](const std::string& config_path, const std::string& out_dir,
                      const WorkerSettings& worker, bool, const std::string&) -> pid_t {
            launched.push_back(fs::path(out_dir).filename().string());
            workers.push_back(worker);
            std::ifstream in(config_path);
            const nlohmann::json config = nlohmann::json::parse(in);
            const nlohmann::json result = {
                {"status", "complete"},
                {"config", config},
                {"summary", {{"in_distribution", {{"sequence_accuracy", fake_accuracy(config)}}}}}};
            const std::string id = launched.back();
            const bool fail = fail_once.erase(id) > 0;
            std::vector<std::string> args = {
                "/bin/sh", "-c",          fail ? "exit 1" : "printf '%s' \"$1\" > \"$2\"",
                "sh",      result.dump(), out_dir + "/result.json"};
            std::vector<char*> argv;
            for (std::string& a : args) {
                argv.push_back(a.data());
            }
            argv.push_back(nullptr);
            pid_t pid = 0;
            EXPECT_EQ(posix_spawn(&pid, "/bin/sh", nullptr, nullptr, argv.data(), environ), 0);
            return pid;
        };
    }
};

SweepConfig depth_sweep(bool min_depth) {
    nlohmann::json json = {
        {"name", "t"},
        {"base", {{"seed", 1}, {"task", {{"spec", "easy"}}}, {"model", {{"type", "lstm"}}}}},
        {"axes",
         {{{"path", "task.spec"}, {"values", {"easy", "hard"}}},
          {{"path", "model.n_layers"}, {"values", {1, 2, 3, 4}}},
          {{"path", "seed"}, {"values", {1, 2}}}}},
        {"workers", 2}};
    if (min_depth) {
        json["min_depth"] = {{"path", "model.n_layers"}, {"threshold", 0.95}};
    }
    return sweep_config_from_json(json);
}

using statetrack::testing::read_text;
using statetrack::testing::ScratchDir;

TEST(Sweep, GridExpandsInOrderWithStableUniqueIds) {
    const std::vector<SweepPoint> points = expand_sweep(depth_sweep(false));
    ASSERT_EQ(points.size(), 16u);
    EXPECT_EQ(points[0].config["task"]["spec"], "easy");
    EXPECT_EQ(points[0].config["model"]["n_layers"], 1);
    EXPECT_EQ(points[1].config["seed"], 2);                // the last axis varies fastest
    EXPECT_EQ(points[15].config["task"]["spec"], "hard");  // the first slowest
    EXPECT_EQ(points[15].config["model"]["n_layers"], 4);
    EXPECT_EQ(points[0].id.rfind("easy-1-1-", 0), 0u) << points[0].id;
    std::set<std::string> ids;
    for (const SweepPoint& p : points) {
        ids.insert(p.id);
    }
    EXPECT_EQ(ids.size(), points.size());
    EXPECT_EQ(expand_sweep(depth_sweep(false))[7].id, points[7].id);  // stable
    SweepConfig other = depth_sweep(false);
    other.base["model"]["d_model"] = 32;  // a different run gets a different id
    EXPECT_NE(expand_sweep(other)[0].id, points[0].id);
}

TEST(Sweep, ConfigErrorsNameThePath) {
    const auto message = [](const nlohmann::json& json) {
        return statetrack::testing::error_of<std::invalid_argument>(
            [&] { sweep_config_from_json(json); });
    };
    const nlohmann::json base = {{"name", "t"}, {"base", {{"model", {{"type", "lstm"}}}}}};
    nlohmann::json j = base;
    j["axes"] = {{{"path", "modle.n_layers"}, {"values", {1}}}};
    EXPECT_NE(message(j).find("no object at \"modle\""), std::string::npos) << message(j);
    j["axes"] = {{{"path", "model.n_layers"}, {"values", nlohmann::json::array()}}};
    EXPECT_NE(message(j).find("'values' must be a non-empty array"), std::string::npos);
    j["axes"] = {{{"path", "model.n_layers"}, {"values", {1}}}};
    j["min_depth"] = {{"path", "model.d_model"}};
    EXPECT_NE(message(j).find("is not one of the axes"), std::string::npos) << message(j);
    j.erase("min_depth");
    j["worker"] = 2;
    EXPECT_NE(message(j).find("unknown key 'worker'"), std::string::npos) << message(j);
    EXPECT_THROW(parse_shard("0/3"), std::invalid_argument);
    EXPECT_THROW(parse_shard("4/3"), std::invalid_argument);
    EXPECT_THROW(parse_shard("1/3x"), std::invalid_argument);
    EXPECT_EQ(parse_shard("2/3").k, 2);
}

TEST(Sweep, ShardsAreDisjointCoverTheGridAndKeepDepthGroupsTogether) {
    for (const bool min_depth : {false, true}) {
        const std::vector<SweepPoint> all = expand_sweep(depth_sweep(min_depth));
        std::multiset<std::string> seen;
        for (int64_t k = 1; k <= 3; ++k) {
            std::set<int64_t> groups;
            for (const SweepPoint& p : select_shard(all, {k, 3})) {
                seen.insert(p.id);
                groups.insert(p.group);
            }
            for (const SweepPoint& p : all) {  // a group is wholly in one shard
                EXPECT_EQ(groups.count(p.group) > 0, p.group % 3 == k - 1);
            }
        }
        EXPECT_EQ(seen.size(), all.size());
        EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), all.size());
    }
}

TEST(Sweep, ResumeRedoesNothingFinishedAndRetriesFailures) {
    ScratchDir dir("resume");
    const SweepConfig config = depth_sweep(false);
    const std::vector<SweepPoint> points = expand_sweep(config);
    FakeLauncher fake;
    fake.fail_once = {points[3].id, points[9].id};
    SweepRunner runner(config, dir.sub("out"), fake.launcher());
    const SweepOutcome first = runner.run(points);
    EXPECT_EQ(first.completed, 14);
    EXPECT_EQ(first.failed, 2);
    EXPECT_EQ(fake.launched.size(), 16u);
    fake.launched.clear();
    const SweepOutcome second = SweepRunner(config, dir.sub("out"), fake.launcher()).run(points);
    EXPECT_EQ(second.finished_before, 14);
    EXPECT_EQ(second.completed, 2);
    EXPECT_EQ(second.failed, 0);
    EXPECT_EQ(std::set<std::string>(fake.launched.begin(), fake.launched.end()),
              (std::set<std::string>{points[3].id, points[9].id}));
}

// With --device, every worker gets the device and a slot below the worker count, so "cuda"
// spreads the workers over the GPUs (worker i on GPU i mod n); without it, nothing is passed.
TEST(Sweep, WorkersGetTheDeviceAndDistinctSlots) {
    ScratchDir dir("slots");
    SweepConfig config = depth_sweep(false);
    config.device = "cuda";
    const std::vector<SweepPoint> points = expand_sweep(config);
    FakeLauncher fake;
    SweepRunner(config, dir.sub("out"), fake.launcher()).run(points);
    ASSERT_EQ(fake.workers.size(), 16u);
    std::set<int64_t> slots;
    for (const WorkerSettings& w : fake.workers) {
        EXPECT_EQ(w.device, "cuda");
        EXPECT_GE(w.slot, 0);
        EXPECT_LT(w.slot, config.workers);
        slots.insert(w.slot);
    }
    EXPECT_EQ(slots, (std::set<int64_t>{0, 1}));  // the first two launches run at once
    EXPECT_EQ(fake.workers[0].slot, 0);
    EXPECT_EQ(fake.workers[1].slot, 1);
}

TEST(Sweep, MinimumDepthSearchStopsAtTheFirstDepthThatReachesTheThreshold) {
    ScratchDir dir("depth");
    const SweepConfig config = depth_sweep(true);
    FakeLauncher fake;
    const SweepOutcome r =
        SweepRunner(config, dir.sub("out"), fake.launcher()).run(expand_sweep(config));
    // easy: depth 1 per seed (2 runs); hard: depths 1, 2, 3 per seed (6 runs).
    EXPECT_EQ(r.completed, 8);
    EXPECT_EQ(r.skipped, 8);
    for (const std::string& id : fake.launched) {
        EXPECT_TRUE(id.rfind("easy-1-", 0) == 0 || id.rfind("hard-1-", 0) == 0 ||
                    id.rfind("hard-2-", 0) == 0 || id.rfind("hard-3-", 0) == 0)
            << id;
    }
    const nlohmann::json status =
        nlohmann::json::parse(read_text(dir.sub("out/sweep_status.json")));
    EXPECT_EQ(status["skipped_by_min_depth"].size(), 8u);
}

// Two grids in one sweep: each applies its own "set" and axes; the first has a depth search.
SweepConfig two_grid_sweep() {
    return sweep_config_from_json(
        {{"name", "g"},
         {"base",
          {{"seed", 1},
           {"task", {{"spec", "easy"}}},
           {"model", {{"type", "lstm"}}},
           {"budget", {{"max_steps", 10}}}}},
         {"grids",
          {{{"name", "deep"},
            {"set", {{"task.spec", "hard"}, {"budget.max_steps", 99}}},
            {"axes",
             {{{"path", "model.n_layers"}, {"values", {1, 2, 3, 4}}},
              {{"path", "seed"}, {"values", {1, 2}}}}},
            {"min_depth", {{"path", "model.n_layers"}, {"threshold", 0.95}}}},
           {{"axes", {{{"path", "seed"}, {"values", {1, 2, 3}}}}}}}}});
}

TEST(Sweep, GridsAreUnionsWithTheirOwnSettingsGroupsAndDepthSearch) {
    const std::vector<SweepPoint> points = expand_sweep(two_grid_sweep());
    ASSERT_EQ(points.size(), 11u);
    EXPECT_EQ(points[0].config["task"]["spec"], "hard");
    EXPECT_EQ(points[0].config["budget"]["max_steps"], 99);
    EXPECT_EQ(points[0].id.rfind("deep-1-1-", 0), 0u) << points[0].id;
    EXPECT_TRUE(points[0].min_depth.has_value());
    EXPECT_EQ(points[8].config["task"]["spec"], "easy");  // the second grid: base untouched
    EXPECT_EQ(points[8].config["budget"]["max_steps"], 10);
    EXPECT_FALSE(points[8].min_depth.has_value());
    std::set<int64_t> deep_groups, plain_groups;
    for (size_t i = 0; i < points.size(); ++i) {
        EXPECT_EQ(points[i].index, static_cast<int64_t>(i));
        (i < 8 ? deep_groups : plain_groups).insert(points[i].group);
    }
    EXPECT_EQ(deep_groups, (std::set<int64_t>{0, 1}));  // one group per seed, depths together
    EXPECT_EQ(plain_groups, (std::set<int64_t>{2, 3, 4}));

    ScratchDir dir("grids");
    FakeLauncher fake;
    const SweepOutcome r =
        SweepRunner(two_grid_sweep(), dir.sub("out"), fake.launcher()).run(points);
    EXPECT_EQ(r.completed, 3 * 2 + 3);  // "hard" needs depth 3: depths 1-3 per seed, then 3
    EXPECT_EQ(r.skipped, 2);

    nlohmann::json bad = {
        {"name", "g"},
        {"base", {{"task", {{"spec", "x"}}}}},
        {"grids",
         {{{"set", {{"tsak.spec", "y"}}}, {"axes", {{{"path", "seed"}, {"values", {1}}}}}}}}};
    EXPECT_THROW(sweep_config_from_json(bad), std::invalid_argument);
    bad["grids"][0].erase("set");
    bad["axes"] = bad["grids"][0]["axes"];
    EXPECT_THROW(sweep_config_from_json(bad), std::invalid_argument);  // grids and axes
}

TEST(Sweep, MergedShardsEqualTheUnshardedSweep) {
    ScratchDir dir("merge");
    const SweepConfig config = depth_sweep(false);
    const std::vector<SweepPoint> all = expand_sweep(config);
    FakeLauncher fake;
    SweepRunner(config, dir.sub("whole"), fake.launcher()).run(all);
    SweepRunner(config, dir.sub("s1"), fake.launcher()).run(select_shard(all, {1, 2}));
    SweepRunner(config, dir.sub("s2"), fake.launcher()).run(select_shard(all, {2, 2}));
    EXPECT_EQ(merge_sweep_shards(dir.sub("merged"), {dir.sub("s1"), dir.sub("s2")}), 16);
    for (const SweepPoint& p : all) {
        EXPECT_EQ(read_text(dir.sub("merged/runs/" + p.id + "/result.json")),
                  read_text(dir.sub("whole/runs/" + p.id + "/result.json")))
            << p.id;
    }
    EXPECT_EQ(read_text(dir.sub("merged/sweep.json")), read_text(dir.sub("whole/sweep.json")));
    // A conflicting result for the same run is refused.
    std::ofstream(dir.sub("s2/runs/" + all[1].id + "/result.json")) << "{}";
    fs::create_directories(dir.sub("s2/runs/" + all[0].id));
    fs::copy_file(dir.sub("s1/runs/" + all[0].id + "/config.json"),
                  dir.sub("s2/runs/" + all[0].id + "/config.json"));
    std::ofstream(dir.sub("s2/runs/" + all[0].id + "/result.json")) << "{\"other\": 1}";
    EXPECT_THROW(merge_sweep_shards(dir.sub("merged2"), {dir.sub("s1"), dir.sub("s2")}),
                 std::invalid_argument);
    EXPECT_FALSE(fs::exists(dir.sub("merged2/runs")));
}

}  // namespace
}  // namespace statetrack::harness
