// language_sweep_json (see language_run.h); a bare type's config is the factory's
// sized_model_config (model/model_factory.h).
#include "harness/training/language_run.h"

#include <fmt/format.h>

#include <sstream>
#include <stdexcept>

#include "core/strict_json.h"
#include "model/model_factory.h"

namespace statetrack::harness {
namespace {

nlohmann::json model_entry(const std::string& item, const LanguageRunRequest& r) {
    if (item.size() > 5 && item.compare(item.size() - 5, 5, ".json") == 0) {
        const nlohmann::json config = core::read_json_file(item);  // strict; errors name the file
        if (!config.is_object()) {
            throw std::invalid_argument(fmt::format("--models: '{}' is not a JSON object", item));
        }
        return config;
    }
    const std::vector<std::string> types = model::sequence_model_types();
    if (std::find(types.begin(), types.end(), item) == types.end()) {
        throw std::invalid_argument(
            fmt::format("--models: '{}' is neither a model type ({}) nor a .json model config",
                        item, fmt::join(types, ", ")));
    }
    nlohmann::json config = model::sized_model_config(item, r.n_layers, r.d_model);
    config["name"] = item;
    return config;
}

}  // namespace

std::vector<std::string> split_model_list(const std::string& text) {
    std::vector<std::string> items;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        if (item.empty()) {
            throw std::invalid_argument(fmt::format("--models '{}': empty item", text));
        }
        items.push_back(item);
    }
    if (items.empty()) {
        throw std::invalid_argument("--models: give at least one model, e.g. rwkv7,transformer");
    }
    return items;
}

nlohmann::json language_sweep_json(const LanguageRunRequest& r) {
    nlohmann::json models = nlohmann::json::array();
    for (const std::string& item : r.models) {
        models.push_back(model_entry(item, r));
    }
    const nlohmann::json base = {{"seed", r.seed},
                                 {"task",
                                  {{"spec", r.task_spec},
                                   {"formulation", r.formulation},
                                   {"train_lengths", {1, 40}},
                                   {"test_lengths", {{1, 40}, {41, 120}}},
                                   {"test_length_stride", 4},
                                   {"test_examples_per_length", 64},
                                   {"validation_examples", 256}}},
                                 {"model", models.front()},
                                 {"optimizer", {{"lr", 3e-3}}},
                                 {"schedule", {{"warmup_steps", 50}, {"min_lr_ratio", 0.05}}},
                                 {"budget",
                                  {{"max_steps", r.max_steps},
                                   {"batch_size", 32},
                                   {"eval_every", 100},
                                   {"target_accuracy", 0.999},
                                   {"checkpoint_every", 500}}}};
    return {{"name", "language"},
            {"workers", r.workers},
            {"base", base},
            {"axes", {{{"path", "model"}, {"values", models}}}}};
}

}  // namespace statetrack::harness
