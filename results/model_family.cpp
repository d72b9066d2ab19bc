// Model family derivation from a resolved model config (see model_family.h).
#include "results/model_family.h"

#include "core/enum_names.h"

namespace statetrack::results {
namespace {

constexpr auto kNames =
    core::enum_names(ModelFamily::kUnknown, "unknown", ModelFamily::kAttention, "attention",
                     ModelFamily::kNonlinearRnn, "nonlinear_rnn", ModelFamily::kDiagonalNonneg,
                     "diagonal_nonneg", ModelFamily::kDiagonalSigned, "diagonal_signed",
                     ModelFamily::kDplrBounded, "dplr_bounded", ModelFamily::kDplrUnclamped,
                     "dplr_unclamped", ModelFamily::kDplrReflect, "dplr_reflect")
        .otherwise(ModelFamily::kUnknown);

// The config's boolean `key`, `fallback` when absent, nullopt when it is not a boolean.
std::optional<bool> flag(const nlohmann::json& config, const char* key, bool fallback) {
    const auto it = config.find(key);
    if (it == config.end() || it->is_null()) {
        return fallback;
    }
    return it->is_boolean() ? std::optional<bool>(it->get<bool>()) : std::nullopt;
}

ModelFamily rwkv7_family(const nlohmann::json& config) {
    const auto transition = config.find("transition");
    std::string kind = "full";
    if (transition != config.end() && !transition->is_null()) {
        if (!transition->is_string()) {
            return ModelFamily::kUnknown;
        }
        kind = transition->get<std::string>();
    }
    if (kind == "diagonal") {
        return ModelFamily::kDiagonalNonneg;
    }
    const auto extended = flag(config, "extended_eigenvalues", false);
    const auto clamp = flag(config, "decay_clamp", true);
    if (kind != "full" || !extended || !clamp) {
        return ModelFamily::kUnknown;
    }
    if (*extended) {
        return ModelFamily::kDplrReflect;
    }
    return *clamp ? ModelFamily::kDplrBounded : ModelFamily::kDplrUnclamped;
}

}  // namespace

std::string to_string(ModelFamily family) { return std::string(kNames.name(family)); }

std::optional<ModelFamily> parse_model_family(const std::string& name) { return kNames.find(name); }

const std::vector<ModelFamily>& all_model_families() {
    static const std::vector<ModelFamily> families = [] {
        std::vector<ModelFamily> out;
        for (const auto& entry : kNames.entries) {
            out.push_back(entry.value);
        }
        return out;
    }();
    return families;
}

ModelFamily model_family_of(const nlohmann::json& config, const std::string& type) {
    if (!config.is_object()) {
        return ModelFamily::kUnknown;
    }
    const auto t = config.find("type");
    const std::string kind = t != config.end() && t->is_string() ? t->get<std::string>() : type;
    if (kind == "transformer") {
        return ModelFamily::kAttention;
    }
    if (kind == "lstm") {
        return ModelFamily::kNonlinearRnn;
    }
    if (kind == "mamba") {
        const auto negative = flag(config, "negative_eigenvalues", false);
        if (!negative) {
            return ModelFamily::kUnknown;
        }
        return *negative ? ModelFamily::kDiagonalSigned : ModelFamily::kDiagonalNonneg;
    }
    if (kind == "rwkv7") {
        return rwkv7_family(config);
    }
    return ModelFamily::kUnknown;
}

}  // namespace statetrack::results
