// Training checkpoints (see checkpoint.h).
#if STATETRACK_WITH_TORCH

#include "harness/checkpoint.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/strict_json.h"
#include "model/atomic_file.h"

namespace statetrack::harness {
namespace fs = std::filesystem;
namespace {

constexpr const char* kFormat = "statetrack-checkpoint";
constexpr int kVersion = 1;

std::string in_dir(const fs::path& dir, const std::string& name) { return (dir / name).string(); }

nlohmann::json read_json(const std::string& path) {
    try {
        return core::read_json_file(path);
    } catch (const std::invalid_argument& e) {  // resume reports a broken checkpoint as runtime
        throw std::runtime_error(fmt::format("checkpoint file {}", e.what()));
    }
}

template <typename Fn>
void read_archive(const std::string& path, Fn&& fn) {
    if (!fs::exists(path)) {
        throw std::runtime_error(fmt::format("checkpoint file '{}' does not exist", path));
    }
    try {
        torch::serialize::InputArchive archive;
        archive.load_from(path);
        fn(archive);
    } catch (const c10::Error& e) {
        throw std::runtime_error(
            fmt::format("cannot load '{}': {}", path, e.what_without_backtrace()));
    }
}

template <typename Fn>
void write_archive(const std::string& path, Fn&& fn) {
    model::write_file_atomically(path, [&](const std::string& tmp) {
        torch::serialize::OutputArchive archive;
        fn(archive);
        archive.save_to(tmp);
    });
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

void load_model_weights(const std::string& path, model::SequenceModel& model) {
    read_archive(path, [&](torch::serialize::InputArchive& a) { model.load(a); });
}

bool has_checkpoint(const std::string& dir) { return fs::exists(fs::path(dir) / "latest.json"); }

void save_checkpoint(const std::string& dir, const model::SequenceModel& model,
                     const torch::optim::Optimizer& optimizer, const TrainingState& state,
                     const nlohmann::json& run_config) {
    const std::string name = fmt::format("step-{:09d}", state.step);
    const fs::path step_dir = fs::path(dir) / name;
    fs::remove_all(step_dir);
    fs::create_directories(step_dir);
    save_model_weights(in_dir(step_dir, "model.pt"), model);
    write_archive(in_dir(step_dir, "optimizer.pt"),
                  [&](torch::serialize::OutputArchive& a) { optimizer.save(a); });
    write_archive(in_dir(step_dir, "rng.pt"), [](torch::serialize::OutputArchive& a) {
        a.write("cpu", at::detail::getDefaultCPUGenerator().get_state());
    });
    const nlohmann::json meta = {{"format", kFormat},
                                 {"version", kVersion},
                                 {"config", run_config},
                                 {"model", model.config_json()},
                                 {"state", to_json(state)}};
    model::write_text_atomically(in_dir(step_dir, "state.json"), meta.dump(1) + "\n");
    const nlohmann::json latest = {{"step", state.step}, {"dir", name}};
    model::write_text_atomically(in_dir(dir, "latest.json"), latest.dump() + "\n");
    for (const auto& entry : fs::directory_iterator(dir)) {
        const std::string file = entry.path().filename().string();
        if (entry.is_directory() && file.rfind("step-", 0) == 0 && file != name) {
            fs::remove_all(entry.path());
        }
    }
}

TrainingState load_checkpoint(const std::string& dir, model::SequenceModel& model,
                              torch::optim::Optimizer& optimizer,
                              const nlohmann::json& run_config) {
    const std::string latest_path = in_dir(dir, "latest.json");
    const nlohmann::json latest = read_json(latest_path);
    if (!latest.contains("dir") || !latest["dir"].is_string()) {
        throw std::runtime_error(
            fmt::format("checkpoint file '{}' names no directory", latest_path));
    }
    const fs::path step_dir = fs::path(dir) / latest["dir"].get<std::string>();
    const std::string meta_path = in_dir(step_dir, "state.json");
    const nlohmann::json meta = read_json(meta_path);
    if (meta.value("format", "") != kFormat || meta.value("version", 0) != kVersion) {
        throw std::runtime_error(
            fmt::format("'{}' is not a {} version {} file", meta_path, kFormat, kVersion));
    }
    if (meta.value("config", nlohmann::json()) != run_config) {
        throw std::runtime_error(fmt::format(
            "checkpoint '{}' belongs to a different run config; start over with --force",
            step_dir.string()));
    }
    TrainingState state =
        training_state_from_json(meta.value("state", nlohmann::json()), meta_path);
    load_model_weights(in_dir(step_dir, "model.pt"), model);
    read_archive(in_dir(step_dir, "optimizer.pt"),
                 [&](torch::serialize::InputArchive& a) { optimizer.load(a); });
    read_archive(in_dir(step_dir, "rng.pt"), [](torch::serialize::InputArchive& a) {
        torch::Tensor rng;
        a.read("cpu", rng);
        at::Generator generator = at::detail::getDefaultCPUGenerator();  // shares the state
        generator.set_state(rng);
    });
    return state;
}

}  // namespace statetrack::harness

#endif  // STATETRACK_WITH_TORCH
