// Training checkpoints (see checkpoint.h).

#include "harness/training/checkpoint.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/atomic_file.h"
#include "core/checksum.h"
#include "core/file_tree.h"
#include "core/strict_json.h"
#include "harness/training/run_device.h"

namespace statetrack::harness {
namespace fs = std::filesystem;
namespace {

constexpr const char* kFormat = "statetrack-checkpoint";
constexpr int kVersion = 2;  // 2: checksums of every file (1 had none)
constexpr const char* kArchives[] = {"model.pt", "optimizer.pt", "rng.pt"};

std::string in_dir(const fs::path& dir, const std::string& name) { return (dir / name).string(); }

nlohmann::json read_json(const std::string& path) {
    try {
        return core::read_json_file(path);
    } catch (const std::invalid_argument& e) {  // resume reports a broken checkpoint as runtime
        throw std::runtime_error(fmt::format("checkpoint file {}", e.what()));
    }
}

// Tensors are read onto `device`: the model's, so a run resumes on the device it runs on.
template <typename Fn>
void read_archive(const std::string& path, Fn&& fn, torch::Device device = torch::kCPU) {
    if (!fs::exists(path)) {
        throw std::runtime_error(fmt::format("checkpoint file '{}' does not exist", path));
    }
    try {
        torch::serialize::InputArchive archive;
        archive.load_from(path, device);
        fn(archive);
    } catch (const c10::Error& e) {
        throw std::runtime_error(
            fmt::format("cannot load '{}': {}", path, e.what_without_backtrace()));
    }
}

template <typename Fn>
void write_archive(const std::string& path, Fn&& fn) {
    core::write_file_atomically(path, [&](const std::string& tmp) {
        torch::serialize::OutputArchive archive;
        fn(archive);
        archive.save_to(tmp);
    });
}

// latest.json names its step directory by the step it holds and nothing else, so a checkpoint
// never reads from outside its own directory.
std::string latest_step_dir(const nlohmann::json& latest, const std::string& path) {
    if (!latest.is_object() || !latest.contains("step") || !latest["step"].is_number_integer() ||
        !latest.contains("dir") || !latest["dir"].is_string() ||
        !latest.contains("state_checksum") || !latest["state_checksum"].is_string()) {
        throw std::runtime_error(fmt::format(
            "checkpoint file '{}' must hold an integer step, a dir and a state_checksum (a "
            "checkpoint from before checksums cannot be verified; start over with --force)",
            path));
    }
    const int64_t step = latest["step"].get<int64_t>();
    const std::string expected = fmt::format("step-{:09d}", step);
    if (step < 0 || latest["dir"].get<std::string>() != expected) {
        throw std::runtime_error(fmt::format(
            "checkpoint file '{}' names directory '{}' for step {}; only '{}' inside the "
            "checkpoint directory is accepted",
            path, core::quote_for_message(latest["dir"].get<std::string>()), step, expected));
    }
    return expected;
}

void check_meta(const nlohmann::json& meta, const std::string& path, const std::string& step_dir,
                const nlohmann::json& run_config, const nlohmann::json& model_config) {
    if (!meta.is_object() || meta.value("format", "") != kFormat ||
        meta.value("version", 0) != kVersion) {
        throw std::runtime_error(
            fmt::format("'{}' is not a {} version {} file", path, kFormat, kVersion));
    }
    if (meta.value("config", nlohmann::json()) != run_config) {
        throw std::runtime_error(fmt::format(
            "checkpoint '{}' belongs to a different run config; start over with --force",
            step_dir));
    }
    if (meta.value("model", nlohmann::json()) != model_config) {
        throw std::runtime_error(fmt::format(
            "checkpoint '{}' holds a model other than the run config builds; start over with "
            "--force",
            step_dir));
    }
    const nlohmann::json files = meta.value("files", nlohmann::json());
    for (const char* file : kArchives) {
        if (!files.is_object() || !files.contains(file) || !files[file].is_string()) {
            throw std::runtime_error(fmt::format("'{}' states no checksum for {}", path, file));
        }
    }
    if (!meta.contains("state")) {
        throw std::runtime_error(fmt::format("'{}' has no training state", path));
    }
}

// The state must be one this run could have reached: an edited step past max_steps would
// otherwise report a run "complete" that never trained that far.
void check_state(const TrainingState& s, int64_t latest_step, int64_t max_steps,
                 const std::string& path) {
    const auto bad = [&](const std::string& what) {
        throw std::runtime_error(fmt::format("checkpoint file '{}': {}", path, what));
    };
    if (s.step != latest_step) {
        bad(fmt::format("step {} differs from latest.json's step {}", s.step, latest_step));
    }
    if (s.step < 0 || s.step > max_steps) {
        bad(fmt::format("step {} is outside [0, max_steps {}]", s.step, max_steps));
    }
    if (s.examples < 0 || s.tokens < 0 || s.skipped_non_finite < 0 || s.window_steps < 0 ||
        s.skipped_non_finite > s.step || s.consecutive_non_finite < 0 ||
        s.consecutive_non_finite > s.skipped_non_finite || s.window_steps > s.step) {
        bad("its counters are inconsistent with its step");
    }
    int64_t previous = 0;
    for (const CurvePoint& p : s.curve) {
        if (p.step <= previous || p.step > s.step) {
            bad(fmt::format("curve point at step {} is out of order or past step {}", p.step,
                            s.step));
        }
        previous = p.step;
    }
}

}  // namespace

bool parameters_finite(const model::SequenceModel& model) {
    for (const torch::Tensor& p : model.parameters()) {
        if (!torch::isfinite(p).all().item<bool>()) {
            return false;
        }
    }
    return true;
}

void save_model_weights(const std::string& path, const model::SequenceModel& model) {
    if (!parameters_finite(model)) {
        throw std::runtime_error(
            fmt::format("refusing to save '{}': the model has non-finite parameters", path));
    }
    write_archive(path, [&](torch::serialize::OutputArchive& a) { model.save(a); });
}

void load_model_weights(const std::string& path, model::SequenceModel& model,
                        const std::string& expected_checksum) {
    if (!expected_checksum.empty()) {
        core::verify_file_checksum(path, expected_checksum, "model weights", "result.json");
    }
    read_archive(
        path, [&](torch::serialize::InputArchive& a) { model.load(a); }, device_of(model));
}

bool has_checkpoint(const std::string& dir) { return fs::exists(fs::path(dir) / "latest.json"); }

void save_checkpoint(const std::string& dir, const model::SequenceModel& model,
                     const torch::optim::Optimizer& optimizer, const TrainingState& state,
                     const nlohmann::json& run_config) {
    const std::string name = fmt::format("step-{:09d}", state.step);
    const fs::path step_dir = fs::path(dir) / name;
    core::remove_tree(step_dir.string());
    fs::create_directories(step_dir);
    save_model_weights(in_dir(step_dir, "model.pt"), model);
    write_archive(in_dir(step_dir, "optimizer.pt"),
                  [&](torch::serialize::OutputArchive& a) { optimizer.save(a); });
    write_archive(in_dir(step_dir, "rng.pt"), [](torch::serialize::OutputArchive& a) {
        a.write("cpu", at::detail::getDefaultCPUGenerator().get_state());
    });
    nlohmann::json files = nlohmann::json::object();
    for (const char* file : kArchives) {
        files[file] = core::file_checksum(in_dir(step_dir, file));
    }
    const nlohmann::json meta = {{"format", kFormat},       {"version", kVersion},
                                 {"config", run_config},    {"model", model.config_json()},
                                 {"state", to_json(state)}, {"files", files}};
    const std::string state_path = in_dir(step_dir, "state.json");
    core::write_text_atomically(state_path, meta.dump(1) + "\n");
    const nlohmann::json latest = {
        {"step", state.step}, {"dir", name}, {"state_checksum", core::file_checksum(state_path)}};
    core::write_text_atomically(in_dir(dir, "latest.json"), latest.dump() + "\n");
    for (const auto& entry : fs::directory_iterator(dir)) {
        const std::string file = entry.path().filename().string();
        if (entry.is_directory() && file.rfind("step-", 0) == 0 && file != name) {
            core::remove_tree(entry.path().string());
        }
    }
}

TrainingState load_checkpoint(const std::string& dir, model::SequenceModel& model,
                              torch::optim::Optimizer& optimizer, const nlohmann::json& run_config,
                              int64_t max_steps) {
    const std::string latest_path = in_dir(dir, "latest.json");
    const std::string name = latest_step_dir(read_json(latest_path), latest_path);
    const fs::path step_dir = fs::path(dir) / name;
    const std::string meta_path = in_dir(step_dir, "state.json");
    const nlohmann::json latest = read_json(latest_path);
    core::verify_file_checksum(meta_path, latest["state_checksum"].get<std::string>(),
                               "checkpoint file", "latest.json");
    const nlohmann::json meta = read_json(meta_path);
    check_meta(meta, meta_path, step_dir.string(), run_config, model.config_json());
    TrainingState state = training_state_from_json(meta["state"], meta_path);
    check_state(state, latest["step"].get<int64_t>(), max_steps, meta_path);
    for (const char* file : kArchives) {
        core::verify_file_checksum(in_dir(step_dir, file), meta["files"][file].get<std::string>(),
                                   "checkpoint file", "state.json");
    }
    load_model_weights(in_dir(step_dir, "model.pt"), model);
    read_archive(
        in_dir(step_dir, "optimizer.pt"),
        [&](torch::serialize::InputArchive& a) { optimizer.load(a); }, device_of(model));
    read_archive(in_dir(step_dir, "rng.pt"), [](torch::serialize::InputArchive& a) {
        torch::Tensor rng;
        a.read("cpu", rng);
        at::Generator generator = at::detail::getDefaultCPUGenerator();  // shares the state
        generator.set_state(rng);
    });
    return state;
}

}  // namespace statetrack::harness
