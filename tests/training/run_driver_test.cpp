// Training runs end to end through execute_run on tiny configs (threads 1): the same config
// gives the same loss curve twice; a run killed after a checkpoint resumes to exactly the
// uninterrupted result; injected non-finite losses and gradients are skipped and counted and
// never reach the parameters; persistent ones fail the run cleanly; bad configs write nothing;
// result.json carries the schema's keys.
#include "harness/training/run_driver.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <thread>

#include "harness/runs/run_lock.h"
#include "harness/training/checkpoint.h"
#include "results/result_record.h"
#include "testing/run_fixtures.h"
#include "testing/run_in.h"

namespace statetrack::harness {
namespace {

namespace fs = std::filesystem;
using fixtures::run_in;
using fixtures::ScratchDir;
using fixtures::SimulatedKill;
using fixtures::tiny_run_config;

// The deterministic part of a result: curve values (not seconds) and every evaluation entry.
nlohmann::json deterministic_part(const nlohmann::json& result) {
    nlohmann::json curve = nlohmann::json::array();
    for (const auto& p : result["training"]["curve"]) {
        curve.push_back({p["step"], p["loss"], p["accuracy"], p["lr"]});
    }
    return {{"curve", curve},
            {"steps", result["training"]["steps"]},
            {"examples", result["training"]["examples"]},
            {"tokens", result["training"]["tokens"]},
            {"evaluation", result["evaluation"]},
            {"summary", result["summary"]}};
}

TEST(RunDriver, SameConfigSameLossCurve) {
    ScratchDir scratch("same_curve");
    const ExecutedRun a = run_in(scratch.sub("a"), tiny_run_config());
    const ExecutedRun b = run_in(scratch.sub("b"), tiny_run_config());
    ASSERT_EQ(a.result["status"], "complete");
    EXPECT_EQ(a.result["training"]["curve"].size(), 4u);  // steps 3, 6, 9, 12
    EXPECT_EQ(deterministic_part(a.result), deterministic_part(b.result));
    nlohmann::json other = tiny_run_config();
    other["seed"] = 4;
    const ExecutedRun c = run_in(scratch.sub("c"), other);
    EXPECT_NE(deterministic_part(a.result)["curve"], deterministic_part(c.result)["curve"]);
}

TEST(RunDriver, KilledRunResumesToTheUninterruptedResult) {
    for (const char* mode : {"fresh", "fixed"}) {
        SCOPED_TRACE(mode);
        ScratchDir scratch(std::string("resume_") + mode);
        nlohmann::json config = tiny_run_config();
        config["task"]["dataset"] = mode;
        config["task"]["train_examples"] = 40;  // fixed: 5 per length, several epochs
        config["budget"]["eval_every"] = 4;     // the kill leaves a half-filled loss window
        const ExecutedRun whole = run_in(scratch.sub("whole"), config);

        const std::string dir = scratch.sub("killed");
        TrainerHooks kill;
        kill.after_step = [](int64_t steps_done) {
            if (steps_done == 9) {  // 3 steps past the checkpoint at 6
                throw SimulatedKill();
            }
        };
        EXPECT_THROW(run_in(dir, config, kill), SimulatedKill);
        EXPECT_TRUE(has_checkpoint(dir + "/checkpoint"));
        EXPECT_FALSE(fs::exists(dir + "/result.json"));
        // Without --resume the checkpoint is not silently overwritten.
        EXPECT_THROW(run_in(dir, config), std::invalid_argument);

        const ExecutedRun resumed = run_in(dir, config, {}, true);
        EXPECT_TRUE(resumed.resumed);
        EXPECT_EQ(deterministic_part(resumed.result), deterministic_part(whole.result));
        EXPECT_FALSE(fs::exists(dir + "/checkpoint"));  // removed once the result is written
        EXPECT_TRUE(fs::exists(dir + "/model.pt"));
    }
}

TEST(RunDriver, ResumeRefusesACheckpointOfAnotherConfig) {
    ScratchDir scratch("resume_other");
    const std::string dir = scratch.sub("run");
    TrainerHooks kill;
    kill.after_step = [](int64_t steps_done) {
        if (steps_done == 7) {
            throw SimulatedKill();
        }
    };
    EXPECT_THROW(run_in(dir, tiny_run_config(), kill), SimulatedKill);
    nlohmann::json changed = tiny_run_config();
    changed["optimizer"]["lr"] = 0.02;
    try {
        run_in(dir, changed, {}, true);
        FAIL() << "resumed with another config";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("different run config"), std::string::npos);
    }
}

TEST(RunDriver, InjectedNonFiniteStepsAreSkippedAndCounted) {
    ScratchDir scratch("nan_once");
    model::SequenceModel* model = nullptr;
    std::vector<torch::Tensor> after_step2;
    bool unchanged = false;
    TrainerHooks hooks;
    hooks.on_loss = [](int64_t step, torch::Tensor& loss) {
        if (step == 3) {
            loss = loss * std::numeric_limits<double>::quiet_NaN();
        }
    };
    hooks.on_gradients = [&](int64_t step, model::SequenceModel& m) {
        model = &m;
        if (step == 7) {
            m.parameters()[0].grad().fill_(std::numeric_limits<float>::infinity());
        }
    };
    // The parameters after step 2's update must survive the skipped step 3 bit for bit.
    hooks.after_step = [&](int64_t steps_done) {
        if (steps_done == 3) {
            for (const auto& p : model->parameters()) {
                after_step2.push_back(p.detach().clone());
            }
        } else if (steps_done == 4) {
            const auto params = model->parameters();
            unchanged = params.size() == after_step2.size();
            for (size_t i = 0; unchanged && i < params.size(); ++i) {
                unchanged = torch::equal(params[i], after_step2[i]);
            }
        }
    };
    const ExecutedRun r = run_in(scratch.sub("run"), tiny_run_config(), hooks);
    EXPECT_EQ(r.result["status"], "complete");
    EXPECT_EQ(r.result["training"]["skipped_non_finite_steps"], 2);  // steps 3 and 7
    EXPECT_EQ(r.result["training"]["steps"], 12);
    EXPECT_TRUE(unchanged);
    for (const auto& p : r.result["training"]["curve"]) {
        EXPECT_TRUE(p["loss"].is_number());
    }
    EXPECT_TRUE(fs::exists(scratch.sub("run") + "/model.pt"));
}

TEST(RunDriver, PersistentNonFiniteLossFailsTheRunCleanly) {
    ScratchDir scratch("nan_always");
    nlohmann::json config = tiny_run_config();
    config["budget"]["max_non_finite_steps"] = 3;
    TrainerHooks hooks;
    hooks.on_loss = [](int64_t step, torch::Tensor& loss) {
        if (step >= 4) {
            loss = loss * std::numeric_limits<double>::quiet_NaN();
        }
    };
    const std::string dir = scratch.sub("run");
    const ExecutedRun r = run_in(dir, config, hooks);
    EXPECT_EQ(r.result["status"], "failed");
    EXPECT_EQ(r.result["training"]["stop_reason"], "non_finite");
    EXPECT_EQ(r.result["training"]["steps"], 7);  // steps 4, 5, 6 skipped, then stop
    EXPECT_EQ(r.result["training"]["skipped_non_finite_steps"], 3);
    EXPECT_NE(r.result["error"].get<std::string>().find("3 consecutive"), std::string::npos);
    EXPECT_TRUE(r.result["evaluation"].empty());
    EXPECT_TRUE(r.result["summary"]["in_distribution"].is_null());
    EXPECT_TRUE(fs::exists(dir + "/result.json"));
    EXPECT_FALSE(fs::exists(dir + "/model.pt"));  // no model from a failed run
}

TEST(RunDriver, BadModelConfigWritesNothing) {
    ScratchDir scratch("bad_model");
    nlohmann::json config = tiny_run_config();
    config["model"]["dmodel"] = 16;
    const std::string dir = scratch.sub("run");
    try {
        run_in(dir, config);
        FAIL() << "no error";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("run config: model: "), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("dmodel"), std::string::npos);
    }
    EXPECT_FALSE(fs::exists(dir));
}

TEST(RunDriver, ResultHasTheSchemaKeys) {
    ScratchDir scratch("schema");
    nlohmann::json config = tiny_run_config();
    config["eval"]["step_mode_length"] = 50;
    config["eval"]["step_mode_window"] = 20;
    const ExecutedRun r = run_in(scratch.sub("run"), config);
    const nlohmann::json& j = r.result;
    for (const char* key :
         {"schema", "run_id", "status", "error", "config", "labels", "task", "model", "environment",
          "training", "evaluation", "summary", "wall_seconds"}) {
        EXPECT_TRUE(j.contains(key)) << key;
    }
    EXPECT_EQ(j["schema"], "statetrack.result/1");
    EXPECT_EQ(j["run_id"], "tiny");
    EXPECT_TRUE(j["error"].is_null());
    EXPECT_EQ(j["config"], config);
    EXPECT_EQ(j["labels"], nlohmann::json({{"task", "parity"},
                                           {"model", "rwkv7"},
                                           {"n_layers", 1},
                                           {"d_model", 16},
                                           {"lr", 0.01},
                                           {"seed", 3}}));
    EXPECT_EQ(j["task"]["algebraic_class"], "solvable");  // Z2
    EXPECT_EQ(j["task"]["circuit_class"], "ACC0");
    EXPECT_EQ(j["task"]["num_classes"], 2);
    EXPECT_EQ(j["task"]["chance"], 0.5);
    EXPECT_EQ(j["task"]["train_lengths"], nlohmann::json({1, 8}));
    EXPECT_EQ(j["task"]["test_lengths"], nlohmann::json({1, 10}));
    // 1 layer, H = 1 head of N = 16: H·N² + 2·C = 256 + 32 floats.
    EXPECT_EQ(j["model"]["state_size"], 288);
    EXPECT_GT(j["model"]["parameters"].get<int64_t>(), 0);
    for (const char* key : {"statetrack_version", "git_commit", "libtorch", "compiler", "threads",
                            "device", "dtype", "started_at"}) {
        EXPECT_TRUE(j["environment"].contains(key)) << key;
    }
    EXPECT_EQ(j["environment"]["threads"], 1);
    const nlohmann::json& t = j["training"];
    EXPECT_EQ(t["examples"], 12 * 8);
    EXPECT_EQ(t["stop_reason"], "max_steps");
    for (const char* key : {"data", "train", "eval", "total"}) {
        EXPECT_TRUE(t["seconds"][key].is_number()) << key;
    }
    ASSERT_EQ(j["evaluation"].size(), 11u);  // lengths 1..10 + one step-mode entry
    for (const auto& e : j["evaluation"]) {
        for (const char* key : {"split", "mode", "length", "examples", "in_distribution",
                                "token_accuracy", "sequence_accuracy", "scaled_accuracy"}) {
            EXPECT_TRUE(e.contains(key)) << key;
        }
    }
    const auto& step = j["evaluation"][10];
    EXPECT_EQ(step["mode"], "step");
    EXPECT_EQ(step["state_floats"], nlohmann::json({{"start", 288}, {"end", 288}}));
    EXPECT_EQ(step["windows"].size(), 3u);
    EXPECT_TRUE(j["summary"]["in_distribution"].is_object());
    EXPECT_TRUE(j["summary"]["out_of_distribution"].is_object());  // lengths 9, 10
    // The record on disk is the returned one.
    std::ifstream in(r.result_path);
    EXPECT_EQ(nlohmann::json::parse(in), j);
    // One schema both ways, step-mode extras included (results/result_record.h).
    EXPECT_EQ(results::run_result_to_json(results::parse_run_result(j, r.result_path)), j);
}

TEST(RunDriver, EarlyStopAtTargetAccuracy) {
    ScratchDir scratch("early");
    nlohmann::json config = tiny_run_config();
    config["budget"]["target_accuracy"] = 0.01;  // reached at the first curve point
    const ExecutedRun r = run_in(scratch.sub("run"), config);
    EXPECT_EQ(r.result["training"]["stop_reason"], "target_accuracy");
    EXPECT_EQ(r.result["training"]["steps"], 3);
}

// The target is compared with the validation accuracy that target_metric names: the run stops
// at the first curve point whose value in that metric reaches it (read from the unstopped
// run's curve, which records both), and the two metrics stop at different points.
TEST(RunDriver, TargetMetricSelectsTheValidationAccuracy) {
    ScratchDir scratch("target_metric");
    const nlohmann::json curve =
        run_in(scratch.sub("free"), tiny_run_config()).result["training"]["curve"];
    ASSERT_EQ(curve.size(), 4u);
    const auto first_reaching = [&](const char* key, double target) {
        for (const auto& p : curve) {
            if (p[key].get<double>() >= target) {
                return p["step"].get<int64_t>();
            }
        }
        return int64_t{12};  // max_steps
    };
    const double target = curve[0]["accuracy"].get<double>();  // token accuracy at step 3
    ASSERT_GT(target, curve[0]["sequence_accuracy"].get<double>());
    for (const char* metric : {"token_accuracy", "sequence_accuracy"}) {
        nlohmann::json config = tiny_run_config();
        config["budget"]["target_accuracy"] = target;
        config["budget"]["target_metric"] = metric;
        const ExecutedRun r = run_in(scratch.sub(metric), config);
        const char* key =
            std::string(metric) == "token_accuracy" ? "accuracy" : "sequence_accuracy";
        EXPECT_EQ(r.result["training"]["steps"], first_reaching(key, target)) << metric;
    }
    EXPECT_LT(first_reaching("accuracy", target), first_reaching("sequence_accuracy", target));
    nlohmann::json bad = tiny_run_config();
    bad["budget"]["target_metric"] = "f1";
    EXPECT_THROW(parse_run_config(bad), std::invalid_argument);
}

std::string run_error(const std::string& dir, const nlohmann::json& config) {
    try {
        run_in(dir, config);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "(no error)";
}

// A run directory that cannot be created fails before training (a million steps would take
// minutes), and nothing is left behind.
TEST(RunDriver, RunDirectoryThatCannotBeCreatedFailsBeforeTraining) {
    ScratchDir scratch("unwritable");
    const std::string file = scratch.sub("a_file");
    std::ofstream(file) << "x";
    nlohmann::json config = tiny_run_config();
    config["budget"]["max_steps"] = 1000000;
    const std::string error = run_error(file + "/run", config);
    EXPECT_EQ(error.rfind("cannot create run directory '" + file + "/run': ", 0), 0u) << error;
    EXPECT_FALSE(std::filesystem::exists(file + "/run"));
}

// A second process in a run directory (a restarted sweep while an orphan still trains) is refused
// at once; the lock goes with its holder.
TEST(RunDriver, OneProcessAtATimeInARunDirectory) {
    ScratchDir scratch("lock");
    const std::string dir = scratch.sub("run");
    {
        const RunLock held(dir);
        EXPECT_EQ(run_error(dir, tiny_run_config()),
                  "run directory '" + dir + "' is in use by another statetrack process");
        EXPECT_FALSE(std::filesystem::exists(dir + "/result.json"));
    }
    EXPECT_EQ(run_error(dir, tiny_run_config()), "(no error)");
    EXPECT_TRUE(std::filesystem::exists(dir + "/result.json"));
}

TEST(RunDriver, MoreThreadsThanTheMachineHasIsAnError) {
    ScratchDir scratch("threads");
    nlohmann::json config = tiny_run_config();
    const int64_t hardware = std::max<int64_t>(1, std::thread::hardware_concurrency());
    config["threads"] = hardware + 1;
    EXPECT_EQ(run_error(scratch.sub("run"), config),
              fmt::format("threads = {} exceeds the {} hardware threads of this machine (0 = all "
                          "of them)",
                          hardware + 1, hardware));
    EXPECT_FALSE(std::filesystem::exists(scratch.sub("run")));
}

}  // namespace
}  // namespace statetrack::harness
