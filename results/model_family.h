// ModelFamily: the class of state transition a model's resolved config implies, which decides what
// theory predicts it can track (docs/verdicts.md). Contract:
//  - model_family_of(config, type) derives the family from result.json's model.config (the
//    resolved model config) and falls back to `type` when the config has no "type"; a null or
//    absent config gives kUnknown. Flags missing from the config take the model's defaults
//    (mamba negative_eigenvalues false; rwkv7 transition "full", extended_eigenvalues false,
//    decay_clamp true); a flag of the wrong JSON type gives kUnknown.
//  - to_string gives the stable name used in reports and claims files; parse_model_family is its
//    inverse (nullopt for an unknown name).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace statetrack::results {

enum class ModelFamily {
    kUnknown,
    kAttention,       // transformer
    kNonlinearRnn,    // lstm
    kDiagonalNonneg,  // mamba [0, 1] transitions; rwkv7 with a diagonal transition
    kDiagonalSigned,  // mamba with negative_eigenvalues: transitions in [-1, 1]
    kDplrBounded,     // deployed rwkv7: real eigenvalues > min(w) - 1 > -0.455
    kDplrUnclamped,   // rwkv7 without the decay clamp: eigenvalues > -1, not reaching -1
    kDplrReflect,     // rwkv7 with extended eigenvalues: eigenvalues reach [-1, 1]
};

std::string to_string(ModelFamily family);
std::optional<ModelFamily> parse_model_family(const std::string& name);
const std::vector<ModelFamily>& all_model_families();

ModelFamily model_family_of(const nlohmann::json& config, const std::string& type);

}  // namespace statetrack::results
