// The model factory: the one place that knows the model types. One JSON config with a "type"
// key -> a SequenceModel (sequence_model.h); each type builds itself in its own file,
// model/<type>_config.h declaring the config, <type>_config_from_json and <type>_from_json:
//   {"type": "rwkv7", ...}        RWKV-7 and its ablations   (rwkv7_config.h)
//   {"type": "transformer", ...}  decoder/encoder Transformer (transformer_config.h)
//   {"type": "lstm", ...}         stacked LSTM                (lstm_config.h)
//   {"type": "mamba", ...}        selective SSM (S6 blocks)   (mamba_config.h)
// Every config takes "vocab_size" (required) and "d_model"; the per-type headers list the other
// keys with their defaults. An unknown type or key is an error naming the allowed ones.
// The seed fixes the initial weights (each model's documented init).
//
// fit_parameter_budget: FLaRe-style parameter matching. It returns the config with "d_model"
// replaced by the width whose real parameter count (models are built and counted) is closest to
// `budget`, among the widths the type accepts (multiples of its width quantum, e.g. head_size
// for RWKV-7). Ties go to the smaller width.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/sequence_model.h"

namespace statetrack::model {

SequenceModelPtr make_sequence_model(const nlohmann::json& config, uint64_t seed);

std::vector<std::string> sequence_model_types();

// The step between accepted d_model values for this config (its other keys fixed).
int64_t width_quantum(const nlohmann::json& config);

nlohmann::json fit_parameter_budget(const nlohmann::json& config, int64_t budget);

}  // namespace statetrack::model
