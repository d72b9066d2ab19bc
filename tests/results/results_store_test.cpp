// Results store: recursive discovery, deterministic order, duplicate and consistency rules.
#include "results/results_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "results/results_test_support.h"

namespace statetrack::results {
namespace {

namespace fs = std::filesystem;
using testing_support::error_of;
using testing_support::fixture_sweep;
using testing_support::make_run;
using testing_support::ScratchDir;

std::string load_error(const fs::path& dir) {
    return error_of([&] { load_results_store(dir.string()); });
}

void copy_sweep(const fs::path& to) { fs::copy(fixture_sweep(), to, fs::copy_options::recursive); }

TEST(ResultsStore, LoadsTheFixtureSweepInLabelOrder) {
    const ResultsStore store = load_results_store(fixture_sweep().string());
    ASSERT_EQ(store.complete.size(), 36u);
    ASSERT_EQ(store.failed.size(), 1u);
    EXPECT_EQ(store.duplicate_copies, 0u);
    // Sorted by (task, model, n_layers, d_model, lr, seed): "group:A5" < "parity" < "tomita4".
    EXPECT_EQ(store.complete.front().run_id, "group_A5-mamba-L1-d64-lr0.003-s1");
    EXPECT_EQ(store.complete[1].run_id, "group_A5-mamba-L1-d64-lr0.003-s2");
    EXPECT_EQ(store.complete[2].run_id, "group_A5-mamba-L2-d64-lr0.003-s1");
    EXPECT_EQ(store.complete.back().run_id, "tomita4-transformer-L2-d64-lr0.001-s2");
    EXPECT_EQ(store.failed.front().error, "non-finite loss at step 120 (lr 0.001)");
    EXPECT_NE(store.failed.front().source.find("result.json"), std::string::npos);
}

TEST(ResultsStore, IdenticalCopyFromAnotherShardIsDropped) {
    ScratchDir dir;
    copy_sweep(dir.path() / "shard1");
    const std::string id = "parity-rwkv7-L1-d64-lr0.003-s1";
    fs::create_directories(dir.path() / "shard2" / "runs" / id);
    fs::copy(dir.path() / "shard1" / "runs" / id / "result.json",
             dir.path() / "shard2" / "runs" / id / "result.json");
    const ResultsStore store = load_results_store(dir.path().string());
    EXPECT_EQ(store.complete.size(), 36u);
    EXPECT_EQ(store.duplicate_copies, 1u);
}

TEST(ResultsStore, SameRunIdWithDifferentContentsIsAnError) {
    ScratchDir dir;
    copy_sweep(dir.path() / "a");
    const std::string id = "parity-rwkv7-L1-d64-lr0.003-s1";
    auto j = testing_support::read_json(dir.path() / "a" / "runs" / id / "result.json");
    j["wall_seconds"] = 99.0;
    testing_support::write_json(dir.path() / "b" / id / "result.json", j);
    const std::string error = load_error(dir.path());
    EXPECT_NE(error.find("both hold run_id '" + id + "' with different contents"),
              std::string::npos)
        << error;
    EXPECT_NE(error.find((dir.path() / "a" / "runs" / id / "result.json").string()),
              std::string::npos);
    EXPECT_NE(error.find((dir.path() / "b" / id / "result.json").string()), std::string::npos);
}

TEST(ResultsStore, SameGridPointUnderTwoRunIdsIsAnError) {
    ScratchDir dir;
    copy_sweep(dir.path() / "a");
    auto j = testing_support::read_json(dir.path() / "a" / "runs" /
                                        "parity-rwkv7-L1-d64-lr0.003-s1" / "result.json");
    j["run_id"] = "parity-rwkv7-again";
    testing_support::write_json(dir.path() / "b" / "result.json", j);
    EXPECT_NE(load_error(dir.path())
                  .find("are the same grid point (task parity, model rwkv7, "
                        "L=1, d=64, lr=0.003, seed 1)"),
              std::string::npos)
        << load_error(dir.path());
}

TEST(ResultsStore, TaskLabelMustMeanOneTask) {
    auto a = make_run("parity", "rwkv7", 1, 0.01, 1, {{5, 1.0}});
    auto b = make_run("parity", "rwkv7", 2, 0.01, 1, {{5, 1.0}});
    b.task.formulation = "state_tagging";
    const std::string differ = error_of([&] { make_results_store({a, b}); });
    EXPECT_NE(differ.find("both have task label 'parity' but differ"), std::string::npos) << differ;
    auto c = make_run("parity", "rwkv7", 2, 0.01, 1, {{5, 1.0}});
    c.model.type = "lstm";
    EXPECT_THROW(make_results_store({a, c}), std::invalid_argument);
    EXPECT_EQ(make_results_store({a, make_run("parity", "rwkv7", 2, 0.01, 1, {{5, 1.0}})})
                  .complete.size(),
              2u);
}

TEST(ResultsStore, InMemoryDuplicateRunIdIsAnError) {
    auto a = make_run("parity", "rwkv7", 1, 0.01, 1, {{5, 1.0}});
    auto b = make_run("parity", "rwkv7", 1, 0.01, 2, {{5, 1.0}});
    b.run_id = a.run_id;
    EXPECT_THROW(make_results_store({a, b}), std::invalid_argument);
}

TEST(ResultsStore, NoResultFilesIsAnError) {
    ScratchDir dir;
    fs::create_directories(dir.path() / "runs" / "x");
    std::ofstream(dir.path() / "runs" / "x" / "result.json.tmp") << "{}";  // half-written: ignored
    EXPECT_EQ(load_error(dir.path()), "no result.json files under '" + dir.path().string() +
                                          "' (a run writes <run_id>/result.json)");
    EXPECT_EQ(load_error(dir.path() / "missing"),
              "'" + (dir.path() / "missing").string() + "' is not a directory");
}

TEST(ResultsStore, OneMalformedFileFailsTheLoadNamingIt) {
    ScratchDir dir;
    copy_sweep(dir.path());
    const fs::path bad = dir.path() / "runs" / "parity-mamba-L1-d64-lr0.003-s2" / "result.json";
    auto j = testing_support::read_json(bad);
    j["labels"].erase("seed");
    testing_support::write_json(bad, j);
    EXPECT_EQ(load_error(dir.path()), bad.string() + ": missing key 'labels.seed'");
}

}  // namespace
}  // namespace statetrack::results
