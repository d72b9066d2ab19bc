// RWKV-7 training checkpoints (see rwkv7_checkpoint.h).
#include "model/rwkv7_checkpoint.h"

#include <fmt/format.h>

#include <filesystem>
#include <stdexcept>

#include "core/atomic_file.h"
#include "model/rwkv7_config.h"

namespace statetrack::model {
namespace {

std::string file_in(const std::string& dir, const char* name) {
    return (std::filesystem::path(dir) / name).string();
}

// torch::load throws c10::Error with a multi-line backtrace; keep its first line.
template <typename Value>
void load_file(Value& value, const std::string& path) {
    if (!std::filesystem::exists(path)) {
        throw std::runtime_error(fmt::format("checkpoint file '{}' does not exist", path));
    }
    try {
        torch::load(value, path);
    } catch (const c10::Error& e) {
        throw std::runtime_error(
            fmt::format("cannot load checkpoint '{}': {}", path, e.what_without_backtrace()));
    }
}

}  // namespace

void save_rwkv7_checkpoint(const std::string& dir, const Rwkv7Model& model,
                           const torch::optim::Optimizer* optimizer) {
    std::filesystem::create_directories(dir);
    core::write_file_atomically(file_in(dir, "model.pt"),
                                [&](const std::string& tmp) { torch::save(model, tmp); });
    if (optimizer != nullptr) {
        core::write_file_atomically(file_in(dir, "optimizer.pt"),
                                    [&](const std::string& tmp) { torch::save(*optimizer, tmp); });
    }
    core::write_text_atomically(file_in(dir, "config.json"),
                                rwkv7_config_to_json(model->config()).dump(2) + "\n");
}

Rwkv7Model load_rwkv7_checkpoint(const std::string& dir) {
    Rwkv7Model model(load_rwkv7_config(file_in(dir, "config.json")));
    load_file(model, file_in(dir, "model.pt"));
    return model;
}

void load_rwkv7_optimizer(const std::string& dir, torch::optim::Optimizer& optimizer) {
    load_file(optimizer, file_in(dir, "optimizer.pt"));
}

}  // namespace statetrack::model
