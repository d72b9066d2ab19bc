// `statetrack sweep --slurm` against a real Slurm (a loopback cluster per test, slurm_cluster.h):
// results identical to the local sweep, the --max-parallel throttle, a failed task in --status
// and its resubmission alone, a cancelled task resuming from its checkpoint to the same result
// as an uninterrupted run, concurrent submissions never running a run twice, and sbatch's own
// refusal as one line. The statetrack executable under test is this build's. Without Slurm the
// tests skip, saying what is missing.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/file_tree.h"
#include "core/strict_json.h"
#include "harness/runs/subprocess.h"
#include "harness/runs/sweep_config.h"
#include "harness/runs/sweep_grid.h"
#include "testing/run_fixtures.h"
#include "testing/slurm_cluster.h"

namespace statetrack::harness {
namespace {
namespace fs = std::filesystem;

CommandOutput statetrack(std::vector<std::string> args) {
    args.insert(args.begin(), STATETRACK_EXE);
    return run_command(args);
}

// Three runs (seeds 1-3) of the tiny config, or of a longer one for cancelling mid-run.
nlohmann::json sweep_json(const std::string& name, int64_t max_steps = 12) {
    nlohmann::json base = fixtures::tiny_run_config();
    base.erase("name");
    base["budget"]["max_steps"] = max_steps;
    if (max_steps > 12) {
        base["budget"]["checkpoint_every"] = 10;
        base["budget"]["eval_every"] = max_steps;
    }
    // One thread per run in both paths: a different thread count changes float rounding.
    return {{"name", name},
            {"threads", 1},
            {"base", base},
            {"axes", {{{"path", "seed"}, {"values", {1, 2, 3}}}}}};
}

std::string write_sweep(const fixtures::ScratchDir& dir, const nlohmann::json& sweep) {
    const std::string path = dir.sub("sweep.json");
    std::ofstream(path) << sweep.dump(2);
    return path;
}

// What a run's result.json says that does not depend on when or where it ran.
nlohmann::json deterministic(const fs::path& result) {
    const nlohmann::json r = core::read_json_file(result.string());
    nlohmann::json curve = nlohmann::json::array();
    for (const nlohmann::json& c : r["training"]["curve"]) {
        curve.push_back({c["step"], c["loss"], c["accuracy"]});
    }
    return {{"status", r["status"]},
            {"steps", r["training"]["steps"]},
            {"curve", curve},
            {"evaluation", r["evaluation"]},
            {"summary", r["summary"]}};
}

std::map<std::string, nlohmann::json> results_of(const fs::path& out) {
    std::map<std::string, nlohmann::json> all;
    for (const auto& e : fs::directory_iterator(out / "runs")) {
        if (fs::exists(e.path() / "result.json")) {
            all[e.path().filename().string()] = deterministic(e.path() / "result.json");
        }
    }
    return all;
}

nlohmann::json jobs_of(const fs::path& out) {
    return core::read_json_file((out / "slurm" / "jobs.json").string());
}

nlohmann::json status_of(const std::string& sweep, const fs::path& out) {
    const CommandOutput r =
        statetrack({"sweep", sweep, "--slurm", "--status", "--json", "--out", out.string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out);
}

std::string state_of(const nlohmann::json& status, const std::string& id) {
    for (const nlohmann::json& run : status["runs"]) {
        if (run["id"] == id) {
            return run["state"];
        }
    }
    return "absent";
}

std::vector<std::string> ids_of(const std::string& sweep) {
    std::vector<std::string> ids;
    for (const SweepPoint& p : expand_sweep(load_sweep_config(sweep))) {
        ids.push_back(p.id);
    }
    return ids;
}

class SlurmSweep : public ::testing::Test {
  protected:
    void SetUp() override {
        const std::string missing = fixtures::LoopbackSlurm::missing();
        if (!missing.empty()) {
            GTEST_SKIP() << "SKIPPED: no Slurm here: " << missing;
        }
        dir_ = std::make_unique<fixtures::ScratchDir>(
            std::string("slurm_") +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        cluster_ = std::make_unique<fixtures::LoopbackSlurm>();
    }
    void TearDown() override { cluster_.reset(); }

    fs::path out(const std::string& name) const { return dir_->path() / name; }

    std::unique_ptr<fixtures::ScratchDir> dir_;
    std::unique_ptr<fixtures::LoopbackSlurm> cluster_;
};

TEST_F(SlurmSweep, WaitGivesTheResultsOfTheLocalSweep) {
    const std::string sweep = write_sweep(*dir_, sweep_json("same"));
    const CommandOutput local = statetrack({"sweep", sweep, "--out", out("local").string()});
    ASSERT_EQ(local.exit_code, 0) << local.err;
    const CommandOutput slurm =
        statetrack({"sweep", sweep, "--slurm", "--wait", "--out", out("slurm").string()});
    ASSERT_EQ(slurm.exit_code, 0) << slurm.err;
    const nlohmann::json jobs = jobs_of(out("slurm"));
    ASSERT_EQ(jobs["submissions"].size(), 1U);
    EXPECT_EQ(slurm.out, std::to_string(jobs["submissions"][0]["job"].get<int64_t>()) + "\n");
    EXPECT_EQ(jobs["submissions"][0]["array"], "0-2");
    const auto expected = results_of(out("local"));
    ASSERT_EQ(expected.size(), 3U);
    EXPECT_EQ(results_of(out("slurm")), expected);
    EXPECT_TRUE(fs::exists(out("slurm") / "slurm" / "sweep.sbatch"));
    const nlohmann::json status = status_of(sweep, out("slurm"));
    EXPECT_EQ(status["counts"], (nlohmann::json{{"finished", 3}}));
    // Again: everything has a result, so nothing is submitted.
    const CommandOutput again =
        statetrack({"sweep", sweep, "--slurm", "--out", out("slurm").string()});
    EXPECT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.err.find("nothing to submit"), std::string::npos) << again.err;
    EXPECT_EQ(jobs_of(out("slurm"))["submissions"].size(), 1U);
}

// [start, end] of every array task, from the times each task writes into its log.
std::vector<std::pair<double, double>> task_intervals(const fs::path& out) {
    std::vector<std::pair<double, double>> spans;
    const std::regex start(R"(group \d+: start at ([0-9.]+))"),
        end(R"(group \d+: end at ([0-9.]+))");
    for (const auto& e : fs::directory_iterator(out / "slurm" / "logs")) {
        std::ifstream in(e.path());
        const std::string text((std::istreambuf_iterator<char>(in)), {});
        std::smatch a, b;
        if (std::regex_search(text, a, start) && std::regex_search(text, b, end)) {
            spans.emplace_back(std::stod(a[1]), std::stod(b[1]));
        }
    }
    std::sort(spans.begin(), spans.end());
    return spans;
}

TEST_F(SlurmSweep, MaxParallelIsHonoured) {
    const std::string sweep = write_sweep(*dir_, sweep_json("throttled"));
    const CommandOutput r = statetrack({"sweep", sweep, "--slurm", "--wait", "--max-parallel", "1",
                                        "--cpus-per-task", "1", "--out", out("o").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(jobs_of(out("o"))["submissions"][0]["array"], "0-2%1");
    const auto spans = task_intervals(out("o"));
    ASSERT_EQ(spans.size(), 3U);
    for (size_t i = 1; i < spans.size(); ++i) {
        EXPECT_LE(spans[i - 1].second, spans[i].first)
            << "tasks " << i - 1 << " and " << i << " overlap";
    }
}

TEST_F(SlurmSweep, AFailedTaskShowsInStatusAndIsResubmittedAlone) {
    const std::string sweep = write_sweep(*dir_, sweep_json("failing"));
    const std::vector<std::string> ids = ids_of(sweep);
    // A broken checkpoint: the run of seed 2 resumes from it and fails.
    const fs::path broken = out("o") / "runs" / ids[1] / "checkpoint";
    fs::create_directories(broken);
    std::ofstream(broken / "latest.json") << "{not json";
    const CommandOutput first =
        statetrack({"sweep", sweep, "--slurm", "--wait", "--out", out("o").string()});
    EXPECT_NE(first.exit_code, 0);
    EXPECT_NE(first.err.find("1 runs failed"), std::string::npos) << first.err;
    EXPECT_NE(first.err.find("slurm: run " + ids[1] + " failed"), std::string::npos) << first.err;
    const nlohmann::json status = status_of(sweep, out("o"));
    EXPECT_EQ(state_of(status, ids[0]), "finished");
    EXPECT_EQ(state_of(status, ids[1]), "failed");
    EXPECT_EQ(state_of(status, ids[2]), "finished");
    for (const nlohmann::json& run : status["runs"]) {
        if (run["id"] == ids[1]) {
            EXPECT_NE(run["error"].get<std::string>().find("latest.json"), std::string::npos)
                << run;
            EXPECT_TRUE(fs::exists(run["log"].get<std::string>())) << run;
        }
    }
    core::remove_tree(broken.string());
    const CommandOutput second =
        statetrack({"sweep", sweep, "--slurm", "--wait", "--out", out("o").string()});
    ASSERT_EQ(second.exit_code, 0) << second.err;
    const nlohmann::json jobs = jobs_of(out("o"));
    ASSERT_EQ(jobs["submissions"].size(), 2U);
    EXPECT_EQ(jobs["submissions"][1]["groups"], (nlohmann::json{1}));
    EXPECT_EQ(status_of(sweep, out("o"))["counts"], (nlohmann::json{{"finished", 3}}));
}

// The step of the latest checkpoint of a run, 0 when there is none yet.
int64_t checkpoint_step(const fs::path& run_dir) {
    const fs::path latest = run_dir / "checkpoint" / "latest.json";
    if (!fs::exists(latest)) {
        return 0;
    }
    try {
        return core::read_json_file(latest.string()).value("step", int64_t{0});
    } catch (const std::exception&) {
        return 0;
    }
}

TEST_F(SlurmSweep, ACancelledTaskResumesFromItsCheckpointToTheUninterruptedResult) {
    const std::string sweep = write_sweep(*dir_, sweep_json("cancelled", 600));
    const std::vector<std::string> ids = ids_of(sweep);
    const CommandOutput submit =
        statetrack({"sweep", sweep, "--slurm", "--max-parallel", "1", "--out", out("o").string()});
    ASSERT_EQ(submit.exit_code, 0) << submit.err;
    const std::string job = submit.out.substr(0, submit.out.find('\n'));
    const fs::path run0 = out("o") / "runs" / ids[0];
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (checkpoint_step(run0) == 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_GT(checkpoint_step(run0), 0) << "no checkpoint within 60 s";
    EXPECT_EQ(run_command({"scancel", job + "_0"}).exit_code, 0);
    // Wait for the array to leave the queue (the other two tasks run to the end).
    while (run_command({"squeue", "-h", "-j", job}).out.find(job) != std::string::npos &&
           std::chrono::steady_clock::now() < deadline + std::chrono::seconds(60)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    ASSERT_FALSE(fs::exists(run0 / "result.json")) << "the run ended before it was cancelled";
    EXPECT_GT(checkpoint_step(run0), 0);
    EXPECT_EQ(state_of(status_of(sweep, out("o")), ids[0]), "failed");
    const CommandOutput resume =
        statetrack({"sweep", sweep, "--slurm", "--wait", "--out", out("o").string()});
    ASSERT_EQ(resume.exit_code, 0) << resume.err;
    EXPECT_EQ(jobs_of(out("o"))["submissions"][1]["groups"], (nlohmann::json{0}));
    std::ifstream log(run0 / "run.log");
    const std::string text((std::istreambuf_iterator<char>(log)), {});
    EXPECT_NE(text.find(" (resumed): 600 steps"), std::string::npos) << text;
    const CommandOutput local = statetrack({"sweep", sweep, "--out", out("local").string()});
    ASSERT_EQ(local.exit_code, 0) << local.err;
    EXPECT_EQ(results_of(out("o")), results_of(out("local")));
}

TEST_F(SlurmSweep, ConcurrentSubmissionsNeverRunARunTwice) {
    const std::string sweep = write_sweep(*dir_, sweep_json("concurrent"));
    CommandOutput a, b;
    std::thread first([&] {
        a = statetrack({"sweep", sweep, "--slurm", "--wait", "--out", out("o").string()});
    });
    std::thread second([&] {
        b = statetrack({"sweep", sweep, "--slurm", "--wait", "--out", out("o").string()});
    });
    first.join();
    second.join();
    EXPECT_EQ(a.exit_code, 0) << a.err;
    EXPECT_EQ(b.exit_code, 0) << b.err;
    std::multiset<int64_t> groups;
    const nlohmann::json jobs = jobs_of(out("o"));
    for (const nlohmann::json& s : jobs["submissions"]) {
        for (const nlohmann::json& g : s["groups"]) {
            groups.insert(g.get<int64_t>());
        }
    }
    EXPECT_EQ(groups, (std::multiset<int64_t>{0, 1, 2}));
    EXPECT_EQ(results_of(out("o")).size(), 3U);
    // Each run trained once: one "result:" line in its log. Both commands followed the array.
    for (const std::string& id : ids_of(sweep)) {
        std::ifstream in(out("o") / "runs" / id / "run.log");
        const std::string text((std::istreambuf_iterator<char>(in)), {});
        size_t n = 0;
        for (size_t at = text.find("; result: "); at != std::string::npos;
             at = text.find("; result: ", at + 1)) {
            ++n;
        }
        EXPECT_EQ(n, 1U) << id << ":\n" << text;
    }
    EXPECT_NE(a.err.find("3/3 tasks done"), std::string::npos) << a.err;
    EXPECT_NE(b.err.find("3/3 tasks done"), std::string::npos) << b.err;
}

TEST_F(SlurmSweep, AnSbatchRefusalIsOneLineAndRecordsNothing) {
    const std::string sweep = write_sweep(*dir_, sweep_json("refused"));
    const CommandOutput r = statetrack(
        {"sweep", sweep, "--slurm", "--partition", "nosuchpartition", "--out", out("o").string()});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find("sbatch rejected the job: invalid partition specified: nosuchpartition"),
              std::string::npos)
        << r.err;
    EXPECT_FALSE(fs::exists(out("o") / "slurm" / "jobs.json"));
    EXPECT_FALSE(fs::exists(out("o") / "slurm" / "sweep.sbatch"));
    EXPECT_TRUE(run_command({"squeue", "-h"}).out.empty());
}

TEST_F(SlurmSweep, ABrokenJobsFileIsOneLine) {
    const std::string sweep = write_sweep(*dir_, sweep_json("broken"));
    fs::create_directories(out("o") / "slurm");
    std::ofstream(out("o") / "slurm" / "jobs.json") << R"({"submissions": [{"job": "12"}]})";
    for (const char* flag : {"--status", "--wait"}) {
        const CommandOutput r =
            statetrack({"sweep", sweep, "--slurm", flag, "--out", out("o").string()});
        EXPECT_NE(r.exit_code, 0) << flag;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
        EXPECT_NE(r.err.find("jobs.json: not a statetrack jobs file"), std::string::npos) << r.err;
    }
    EXPECT_TRUE(run_command({"squeue", "-h"}).out.empty());  // nothing was submitted
}

}  // namespace
}  // namespace statetrack::harness
