// The pure parts of the Slurm path: --array syntax, the batch script, path checks, squeue and
// sbatch output parsing, and the on-disk progress both sweep paths resume from. No Slurm needed
// (the real cluster is in slurm_sweep_test.cpp).
#include "harness/runs/slurm_script.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "harness/runs/slurm_client.h"
#include "harness/runs/subprocess.h"
#include "harness/runs/sweep_grid.h"
#include "harness/runs/sweep_progress.h"
#include "testing/run_fixtures.h"

namespace statetrack::harness {
namespace {

TEST(SlurmArraySpec, CompressesRunsOfConsecutiveGroupsAndAddsTheThrottle) {
    EXPECT_EQ(slurm_array_spec({0, 1, 2, 3}, 0), "0-3");
    EXPECT_EQ(slurm_array_spec({9, 3, 1, 2, 7, 10, 2}, 0), "1-3,7,9-10");
    EXPECT_EQ(slurm_array_spec({5}, 2), "5%2");
    EXPECT_THROW(slurm_array_spec({}, 0), std::invalid_argument);
}

TEST(SlurmScript, CarriesEveryOptionAndRunsTheGroupOfTheArrayTask) {
    SlurmOptions o;
    o.partition = "gpu";
    o.max_parallel = 4;
    o.time = "02:00:00";
    o.cpus_per_task = 8;
    o.gres = "gpu:1";
    o.sbatch_args = {"--mem=8G", "--qos=short"};
    o.device = "cuda";
    const std::string s = sbatch_script(
        "regular", {"/opt/st/statetrack", "/data/sw/slurm/sweep_config.json", "/data/sw"},
        "0-5,9%4", o);
    EXPECT_EQ(s.rfind("#!/bin/bash\n", 0), 0U);
    for (const char* line :
         {"#SBATCH --job-name=statetrack-regular\n", "#SBATCH --array=0-5,9%4\n",
          "#SBATCH --output=/data/sw/slurm/logs/%A_%a.log\n", "#SBATCH --cpus-per-task=8\n",
          "#SBATCH --partition=gpu\n", "#SBATCH --time=02:00:00\n", "#SBATCH --gres=gpu:1\n",
          "#SBATCH --mem=8G\n", "#SBATCH --qos=short\n"}) {
        EXPECT_NE(s.find(line), std::string::npos) << line;
    }
    EXPECT_NE(s.find("exec /opt/st/statetrack sweep /data/sw/slurm/sweep_config.json --out "
                     "/data/sw --slurm-group \"$SLURM_ARRAY_TASK_ID\" --workers 1 --threads 8 "
                     "--device cuda\n"),
              std::string::npos)
        << s;
    // #SBATCH directives are only read before the first command.
    EXPECT_LT(s.rfind("#SBATCH"), s.find("set -euo"));
}

TEST(SlurmScript, LeavesOutWhatWasNotAsked) {
    const std::string s = sbatch_script("x", {"/a/st", "/b/c.json", "/b"}, "0", SlurmOptions{});
    for (const char* absent : {"--partition", "--time", "--gres", "--device"}) {
        EXPECT_EQ(s.find(absent), std::string::npos) << absent;
    }
}

TEST(SlurmScript, RefusesPathsAndValuesThatDirectivesCannotCarry) {
    EXPECT_THROW(check_slurm_path("output folder", "relative/dir"), std::invalid_argument);
    EXPECT_THROW(check_slurm_path("output folder", "/with space"), std::invalid_argument);
    EXPECT_THROW(check_slurm_path("output folder", "/$HOME"), std::invalid_argument);
    EXPECT_NO_THROW(check_slurm_path("output folder", "/scratch/me/sweeps/a-1_b.c"));
    SlurmOptions o;
    o.sbatch_args = {"mem=8G"};
    EXPECT_THROW(sbatch_script("x", {"/a", "/b", "/c"}, "0", o), std::invalid_argument);
    o.sbatch_args = {"--mem=8G\nrm -rf /"};
    EXPECT_THROW(sbatch_script("x", {"/a", "/b", "/c"}, "0", o), std::invalid_argument);
}

TEST(SlurmClientParsing, SqueueLinesOfArrayTasksOnly) {
    const std::vector<QueuedTask> tasks =
        parse_squeue("12|0|RUNNING\n12|3|PENDING\n13|N/A|PENDING\ngarbage\n\n14|7|COMPLETING\n");
    ASSERT_EQ(tasks.size(), 3U);
    EXPECT_EQ(tasks[0].job, 12);
    EXPECT_EQ(tasks[0].task, 0);
    EXPECT_EQ(tasks[0].state, "RUNNING");
    EXPECT_EQ(tasks[1].task, 3);
    EXPECT_EQ(tasks[2].job, 14);
    EXPECT_EQ(tasks[2].state, "COMPLETING");
}

TEST(SlurmClientParsing, SbatchErrorsBecomeOneLine) {
    EXPECT_EQ(slurm_error_text("sbatch: error: invalid partition specified: nope\nsbatch: error: "
                               "Batch job submission failed: Invalid partition name specified\n"),
              "invalid partition specified: nope; Batch job submission failed: Invalid partition "
              "name specified");
    EXPECT_EQ(slurm_error_text("something odd\nhappened\n"), "something odd happened");
}

TEST(SlurmClient, WithoutSbatchOnThePathIsOneClearError) {
    const char* old = std::getenv("PATH");
    const std::string saved = old != nullptr ? old : "";
    ::setenv("PATH", "/nonexistent", 1);
    try {
        SlurmClient client;
        ADD_FAILURE() << "expected an error";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("needs Slurm's 'sbatch' on the PATH"),
                  std::string::npos)
            << e.what();
    }
    ::setenv("PATH", saved.c_str(), 1);
}

TEST(Subprocess, CapturesOutputErrorAndExitCodeAndFeedsStdin) {
    const CommandOutput r = run_command({"sh", "-c", "cat; echo oops >&2; exit 3"}, "hello\n");
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_EQ(r.out, "hello\n");
    EXPECT_EQ(r.err, "oops\n");
    // More than a pipe buffer on both streams at once must not deadlock.
    const CommandOutput big =
        run_command({"sh", "-c", "head -c 300000 /dev/zero; head -c 300000 /dev/zero >&2"});
    EXPECT_EQ(big.out.size(), 300000U);
    EXPECT_EQ(big.err.size(), 300000U);
    EXPECT_EQ(run_command({"no-such-program-statetrack"}).exit_code, 127);
}

// A minimum-depth grid: depths 1, 2, 3 of two seeds, i.e. two groups of three points.
SweepConfig depth_sweep() {
    SweepConfig c;
    c.name = "depths";
    c.base = fixtures::tiny_run_config();
    SweepGrid g;
    g.axes = {{"seed", {1, 2}}, {"model.n_layers", {1, 2, 3}}};
    g.min_depth = MinDepthSearch{"model.n_layers", 0.9, "summary.acc"};
    c.grids = {g};
    return c;
}

void write_result(const std::string& out, const SweepPoint& p, double acc) {
    const std::filesystem::path dir = sweep_run_dir(out, p);
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "result.json")
        << nlohmann::json{{"status", "complete"}, {"summary", {{"acc", acc}}}};
}

TEST(SweepProgress, FollowsTheFilesAndTheMinimumDepthSearch) {
    fixtures::ScratchDir dir("sweep_progress");
    const std::vector<SweepPoint> points = expand_sweep(depth_sweep());
    ASSERT_EQ(points.size(), 6U);
    const std::string out = dir.sub("out");
    auto groups = sweep_progress(points, out);
    ASSERT_EQ(groups.size(), 2U);
    for (const auto& [g, progress] : groups) {
        EXPECT_FALSE(progress.done());
        for (RunProgress p : progress.progress) {
            EXPECT_EQ(p, RunProgress::not_started);
        }
    }
    const GroupProgress& first = groups.begin()->second;
    const GroupProgress& second = std::next(groups.begin())->second;
    write_result(out, *first.points[0], 0.95);  // depth 1 reaches 0.9: depths 2, 3 skipped
    write_result(out, *second.points[0], 0.5);  // depth 1 fails; depth 2 was started
    std::filesystem::create_directories(sweep_run_dir(out, *second.points[1]));
    std::ofstream(std::filesystem::path(sweep_run_dir(out, *second.points[1])) / "run.log") << "x";
    groups = sweep_progress(points, out);
    const GroupProgress& a = groups.begin()->second;
    const GroupProgress& b = std::next(groups.begin())->second;
    EXPECT_TRUE(a.done());
    EXPECT_EQ(a.progress, (std::vector<RunProgress>{RunProgress::finished, RunProgress::skipped,
                                                    RunProgress::skipped}));
    EXPECT_FALSE(b.done());
    EXPECT_EQ(b.progress, (std::vector<RunProgress>{RunProgress::finished, RunProgress::started,
                                                    RunProgress::not_started}));
    EXPECT_EQ(a.points[0]->depth, 1);
    EXPECT_EQ(a.points[2]->depth, 3);
}

}  // namespace
}  // namespace statetrack::harness
