// The model factory and parameter-budget fitting (see model_factory.h).
#include "model/model_factory.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <stdexcept>

#include "core/json_config.h"
#include "model/lstm_config.h"
#include "model/mamba_config.h"
#include "model/rwkv7_config.h"
#include "model/transformer_config.h"

namespace statetrack::model {
namespace {

struct ModelType {
    const char* name;
    std::function<SequenceModelPtr(const nlohmann::json&, uint64_t)> make;
    std::function<int64_t(const nlohmann::json&)> quantum;
};

const std::vector<ModelType>& model_types() {
    static const std::vector<ModelType> types = {
        {"rwkv7", rwkv7_from_json, rwkv7_width_quantum},
        {"transformer", transformer_from_json, transformer_width_quantum},
        {"lstm", lstm_from_json, lstm_width_quantum},
        {"mamba", mamba_from_json, mamba_width_quantum},
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
    return find_type(candidate).make(candidate, 0)->parameter_count();
}

}  // namespace

SequenceModelPtr make_sequence_model(const nlohmann::json& config, uint64_t seed) {
    return find_type(config).make(config, seed);
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

}  // namespace statetrack::model
