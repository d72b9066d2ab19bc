// Checkpoints are verified before they are trusted: one flipped byte in any archive, an edited
// state.json, a step past max_steps, a latest.json pointing outside the checkpoint directory and
// a finished model.pt that does not match result.json are each one clear error, never a resume
// into another model or a "complete" run that never trained that far.

#include "harness/training/checkpoint.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <string>

#include "core/checksum.h"
#include "harness/runs/run_config.h"
#include "harness/training/run_driver.h"
#include "model/model_factory.h"
#include "testing/run_fixtures.h"
#include "testing/run_in.h"

namespace statetrack::harness {
namespace {

namespace fs = std::filesystem;
using fixtures::ScratchDir;
using fixtures::SimulatedKill;
using fixtures::tiny_run_config;

ExecutedRun run_tiny(const std::string& dir, TrainerHooks hooks = {}, bool resume = false) {
    return fixtures::run_in(dir, tiny_run_config(), std::move(hooks), resume);
}

// A run killed at step 7 leaves the checkpoint of step 6.
std::string killed_run(const ScratchDir& scratch) {
    const std::string dir = scratch.sub("run");
    TrainerHooks kill;
    kill.after_step = [](int64_t steps_done) {
        if (steps_done == 7) {
            throw SimulatedKill();
        }
    };
    EXPECT_THROW(run_tiny(dir, kill), SimulatedKill);
    return dir;
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

void write_text(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

void flip_byte(const fs::path& path, size_t from_end) {
    std::string bytes = read_text(path);
    bytes[bytes.size() - from_end] ^= 0x10;
    write_text(path, bytes);
}

std::string resume_error(const std::string& dir) {
    try {
        run_tiny(dir, {}, true);
    } catch (const std::exception& e) {
        return e.what();
    }
    return "<resumed>";
}

// state.json edited and latest.json's checksum of it updated, so only the state check can object.
void edit_state(const fs::path& checkpoint, const std::function<void(nlohmann::json&)>& edit) {
    const fs::path state_path = checkpoint / "step-000000006" / "state.json";
    nlohmann::json meta = nlohmann::json::parse(read_text(state_path));
    edit(meta["state"]);
    write_text(state_path, meta.dump(1));
    nlohmann::json latest = nlohmann::json::parse(read_text(checkpoint / "latest.json"));
    latest["state_checksum"] = core::file_checksum(state_path.string());
    write_text(checkpoint / "latest.json", latest.dump());
}

// Each checkpoint replaces the one before it (its directory removed with everything in it,
// core/file_tree.h), and a finished run removes the checkpoint directory.
TEST(Checkpoint, OnlyTheLatestIsKeptAndAFinishedRunKeepsNone) {
    ScratchDir scratch("checkpoint_latest");
    const std::string dir = scratch.sub("run");
    nlohmann::json config = tiny_run_config();
    config["budget"]["checkpoint_every"] = 2;
    TrainerHooks kill;
    kill.after_step = [](int64_t steps_done) {
        if (steps_done == 7) {
            throw SimulatedKill();
        }
    };
    EXPECT_THROW(fixtures::run_in(dir, config, kill), SimulatedKill);
    std::set<std::string> kept;
    for (const auto& entry : fs::directory_iterator(fs::path(dir) / "checkpoint")) {
        kept.insert(entry.path().filename().string());
    }
    EXPECT_EQ(kept, (std::set<std::string>{"latest.json", "step-000000006"}));
    const ExecutedRun resumed = fixtures::run_in(dir, config, {}, true);
    EXPECT_EQ(resumed.result["status"], "complete");
    EXPECT_FALSE(fs::exists(fs::path(dir) / "checkpoint"));
}

TEST(Checkpoint, OneFlippedByteInAnyArchiveIsRefused) {
    for (const char* file : {"model.pt", "optimizer.pt", "rng.pt"}) {
        SCOPED_TRACE(file);
        ScratchDir scratch(std::string("ckpt_flip_") + file);
        const std::string dir = killed_run(scratch);
        const fs::path archive = fs::path(dir) / "checkpoint" / "step-000000006" / file;
        flip_byte(archive, 200);  // inside the stored data, before the zip directory
        const std::string error = resume_error(dir);
        EXPECT_NE(error.find("checkpoint file '" + archive.string() + "' is corrupt: its checksum"),
                  std::string::npos)
            << error;
        EXPECT_NE(error.find("state.json says"), std::string::npos) << error;
    }
}

TEST(Checkpoint, EditedStateIsRefusedByTheChecksumAndByTheStateCheck) {
    ScratchDir scratch("ckpt_state");
    const std::string dir = killed_run(scratch);
    const fs::path checkpoint = fs::path(dir) / "checkpoint";
    const fs::path state_path = checkpoint / "step-000000006" / "state.json";
    const std::string original = read_text(state_path);
    write_text(state_path, original + " ");
    EXPECT_NE(resume_error(dir).find("is corrupt"), std::string::npos);
    write_text(state_path, original);

    edit_state(checkpoint, [](nlohmann::json& s) { s["step"] = 100; });
    EXPECT_NE(resume_error(dir).find("step 100 differs from latest.json's step 6"),
              std::string::npos);
    nlohmann::json latest = nlohmann::json::parse(read_text(checkpoint / "latest.json"));
    latest["step"] = 100;
    latest["dir"] = "step-000000100";
    fs::rename(checkpoint / "step-000000006", checkpoint / "step-000000100");
    write_text(checkpoint / "latest.json", latest.dump());
    const std::string error = resume_error(dir);
    EXPECT_NE(error.find("step 100 is outside [0, max_steps 12]"), std::string::npos) << error;
    EXPECT_FALSE(fs::exists(fs::path(dir) / "result.json"));  // never reported "complete"
}

TEST(Checkpoint, InconsistentCountersAndCurveAreRefused) {
    ScratchDir scratch("ckpt_counters");
    const std::string dir = killed_run(scratch);
    const fs::path checkpoint = fs::path(dir) / "checkpoint";
    edit_state(checkpoint, [](nlohmann::json& s) { s["skipped_non_finite"] = 7; });
    EXPECT_NE(resume_error(dir).find("counters are inconsistent"), std::string::npos);
    edit_state(checkpoint, [](nlohmann::json& s) {
        s["skipped_non_finite"] = 0;
        s["curve"][0]["step"] = 9;
    });
    EXPECT_NE(resume_error(dir).find("curve point at step 9"), std::string::npos);
    edit_state(checkpoint, [](nlohmann::json& s) {
        s["curve"][0]["step"] = 3;
        s["examples"] = -5.9e119;  // found by fuzzing: converted to int64 without a range check
    });
    EXPECT_NE(resume_error(dir).find("bad value for 'examples': -5.9e+119 (expected an integer)"),
              std::string::npos)
        << resume_error(dir);
}

TEST(Checkpoint, LatestJsonCannotLeaveTheCheckpointDirectory) {
    ScratchDir scratch("ckpt_escape");
    const std::string dir = killed_run(scratch);
    const fs::path checkpoint = fs::path(dir) / "checkpoint";
    fs::copy(checkpoint / "step-000000006", scratch.path() / "elsewhere");
    nlohmann::json latest = nlohmann::json::parse(read_text(checkpoint / "latest.json"));
    latest["dir"] = "../../elsewhere";
    write_text(checkpoint / "latest.json", latest.dump());
    const std::string error = resume_error(dir);
    EXPECT_NE(error.find("names directory '../../elsewhere' for step 6; only 'step-000000006'"),
              std::string::npos)
        << error;
    latest.erase("state_checksum");  // a checkpoint from before checksums
    latest["dir"] = "step-000000006";
    write_text(checkpoint / "latest.json", latest.dump());
    EXPECT_NE(resume_error(dir).find("start over with --force"), std::string::npos);
}

TEST(Checkpoint, FinishedModelIsVerifiedAgainstResultJson) {
    ScratchDir scratch("ckpt_model");
    const ExecutedRun run = run_tiny(scratch.sub("run"));
    ASSERT_EQ(run.result["status"], "complete");
    const nlohmann::json& weights = run.result["model"]["weights"];
    ASSERT_EQ(weights["file"], "model.pt");
    const std::string path = scratch.sub("run") + "/model.pt";
    EXPECT_EQ(weights["checksum"], core::file_checksum(path));
    const RunConfig config = parse_run_config(tiny_run_config());
    model::SequenceModelPtr model = model::make_sequence_model(config.model, config.seed);
    load_model_weights(path, *model, weights["checksum"].get<std::string>());
    flip_byte(path, 200);
    try {
        load_model_weights(path, *model, weights["checksum"].get<std::string>());
        FAIL() << "loaded a corrupt model";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("model weights '" + path + "' is corrupt"),
                  std::string::npos)
            << e.what();
    }
}

}  // namespace
}  // namespace statetrack::harness
