// The model factory's registry of types, parameter-budget fitting and weights files (see
// model_factory.h).
#include "model/model_factory.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "core/json_config.h"
#include "model/lstm_config.h"
#include "model/mamba_config.h"
#include "model/rwkv7_config.h"
#include "model/rwkv7_weights.h"
#include "model/safetensors.h"
#include "model/transformer_config.h"

namespace statetrack::model {
namespace {

constexpr const char* kConfigKey = "statetrack_config";  // safetensors __metadata__

struct ModelType {
    const char* name;
    SequenceModelPtr (*from_json)(const nlohmann::json& config, uint64_t seed);
    int64_t (*quantum)(const nlohmann::json& config);
    // Adds the type's own keys to sized_model_config's {"type", "n_layers", "d_model"}.
    void (*sized)(nlohmann::json& config);
    // Weights files whose tensors describe the architecture: the config they describe, and the
    // model holding them. Null: the file carries the config, and from_json builds the model.
    nlohmann::json (*config_from_tensors)(const NamedTensors& tensors, const std::string& source);
    SequenceModelPtr (*from_tensors)(const nlohmann::json& config, const NamedTensors& tensors,
                                     const std::string& source, torch::ScalarType dtype);
};

void rwkv7_sized(nlohmann::json& config) {
    config["head_size"] = config["d_model"].get<int64_t>() % 32 == 0 ? 32 : 16;
}
void transformer_sized(nlohmann::json& config) { config["n_heads"] = 4; }
void lstm_sized(nlohmann::json& config) { config["n_layers"] = 1; }
void mamba_sized(nlohmann::json& /*config*/) {}

const std::vector<ModelType>& model_types() {
    static const std::vector<ModelType> types = {
        {"rwkv7", rwkv7_from_json, rwkv7_width_quantum, rwkv7_sized, rwkv7_config_json_from_tensors,
         rwkv7_from_tensors},
        {"transformer", transformer_from_json, transformer_width_quantum, transformer_sized,
         nullptr, nullptr},
        {"lstm", lstm_from_json, lstm_width_quantum, lstm_sized, nullptr, nullptr},
        {"mamba", mamba_from_json, mamba_width_quantum, mamba_sized, nullptr, nullptr},
    };
    return types;
}

const ModelType& find_type(const nlohmann::json& config) {
    if (!config.is_object()) {
        throw std::invalid_argument(
            fmt::format("model config: must be a JSON object, got {}", config.dump()));
    }
    const auto it = config.find("type");
    if (it == config.end() || !it->is_string()) {
        throw std::invalid_argument(
            fmt::format("model config: needs a \"type\" string (one of: {})",
                        core::join_names(sequence_model_types())));
    }
    for (const ModelType& type : model_types()) {
        if (*it == type.name) {
            return type;
        }
    }
    throw std::invalid_argument(fmt::format("model config: unknown type \"{}\" (allowed: {})",
                                            it->get<std::string>(),
                                            core::join_names(sequence_model_types())));
}

int64_t count_parameters(const nlohmann::json& config, int64_t d_model) {
    nlohmann::json candidate = config;
    candidate["d_model"] = d_model;
    return find_type(candidate).from_json(candidate, 0)->parameter_count();
}

// The config a weights file holds in its metadata, or else the one its tensors describe.
nlohmann::json file_config(const SafetensorsContents& contents, const std::string& path) {
    const auto it = contents.metadata.find(kConfigKey);
    if (it != contents.metadata.end()) {
        const nlohmann::json config = nlohmann::json::parse(it->second, nullptr, false);
        if (config.is_discarded()) {
            throw_safetensors_error(path, fmt::format("__metadata__ '{}' is not JSON", kConfigKey));
        }
        return config;
    }
    for (const ModelType& type : model_types()) {
        if (type.config_from_tensors != nullptr) {
            return type.config_from_tensors(contents.tensors, path);
        }
    }
    throw_safetensors_error(path, fmt::format("no __metadata__ '{}'", kConfigKey));
}

}  // namespace

SequenceModelPtr make_sequence_model(const nlohmann::json& config, uint64_t seed) {
    return find_type(config).from_json(config, seed);
}

std::vector<std::string> sequence_model_types() {
    std::vector<std::string> names;
    for (const ModelType& type : model_types()) {
        names.emplace_back(type.name);
    }
    return names;
}

int64_t width_quantum(const nlohmann::json& config) { return find_type(config).quantum(config); }

nlohmann::json fit_parameter_budget(const nlohmann::json& config, int64_t budget) {
    if (budget < 1) {
        throw std::invalid_argument(
            fmt::format("parameter budget: {} must be a positive count", budget));
    }
    const int64_t q = width_quantum(config);
    // Parameter counts grow with d_model: double until past the budget, then bisect (in units
    // of the quantum) for the last width at or below it; the answer is that one or the next.
    int64_t lo = 1;  // units
    if (count_parameters(config, q) < budget) {
        int64_t hi = 2;
        while (count_parameters(config, hi * q) < budget) {
            lo = hi;
            hi *= 2;
            if (hi * q > (int64_t{1} << 20)) {
                throw std::invalid_argument(fmt::format(
                    "parameter budget: {} needs d_model above {}", budget, int64_t{1} << 20));
            }
        }
        while (hi - lo > 1) {
            const int64_t mid = lo + (hi - lo) / 2;
            (count_parameters(config, mid * q) < budget ? lo : hi) = mid;
        }
        const int64_t below = budget - count_parameters(config, lo * q);
        const int64_t above = count_parameters(config, hi * q) - budget;
        lo = above < below ? hi : lo;
    }
    nlohmann::json fitted = config;
    fitted["d_model"] = lo * q;
    return fitted;
}

nlohmann::json sized_model_config(const std::string& type, int64_t n_layers, int64_t d_model) {
    nlohmann::json config = {{"type", type}, {"n_layers", n_layers}, {"d_model", d_model}};
    find_type(config).sized(config);
    return config;
}

void save_model_safetensors(const SequenceModel& model, const std::string& path) {
    const nlohmann::json config = model.config_json();
    SafetensorsMetadata metadata = {{"format", "pt"}};
    if (find_type(config).config_from_tensors == nullptr) {
        metadata[kConfigKey] = config.dump();
    }
    save_safetensors(path, module_parameters(model), metadata);
}

SequenceModelPtr load_model_safetensors(const std::string& path, torch::ScalarType dtype) {
    const SafetensorsContents contents = load_safetensors(path);
    const nlohmann::json config = file_config(contents, path);
    SequenceModelPtr model;
    try {
        const ModelType& type = find_type(config);
        if (type.from_tensors != nullptr) {
            return type.from_tensors(config, contents.tensors, path, dtype);
        }
        model = type.from_json(config, 0);
    } catch (const std::invalid_argument& e) {
        throw_safetensors_error(path, fmt::format("__metadata__ '{}': {}", kConfigKey, e.what()));
    }
    model->to(dtype);
    load_module_parameters(*model, contents.tensors, path);
    return model;
}

}  // namespace statetrack::model
