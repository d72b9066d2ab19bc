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
//
// Weights files (safetensors.h): save_model_safetensors writes a model's parameters by their
// registered names with __metadata__ "format": "pt" and, for a type whose architecture cannot
// be read from its tensors, "statetrack_config": the model's config_json(). RWKV-7's names and
// shapes are RWKV-LM's and describe the architecture (rwkv7_weights.h), so its files carry no
// config and stay exactly the files RWKV-LM tools read and write. load_model_safetensors takes
// the config from the metadata when present, and otherwise reads the file as RWKV-7 (RWKV-LM
// exports included); it checks every tensor's name, shape and dtype and throws one line
// naming the file.
#pragma once

#include <torch/torch.h>

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

// The config for a bare type name at a size, as `statetrack run --models TYPE` uses it
// (harness/training/language_run.h): {"type", "n_layers", "d_model"} plus the type's own defaults for
// that size: rwkv7 head_size 32 (16 when d_model is not a multiple of 32), transformer
// n_heads 4, lstm a single layer. Throws std::invalid_argument for an unknown type.
nlohmann::json sized_model_config(const std::string& type, int64_t n_layers, int64_t d_model);

// Writes the model's parameters in their dtype (atomically); see the header comment.
void save_model_safetensors(const SequenceModel& model, const std::string& path);

// The model a weights file holds, in `dtype` on the CPU; see the header comment. Throws
// std::runtime_error "safetensors '<path>': ...".
SequenceModelPtr load_model_safetensors(const std::string& path,
                                        torch::ScalarType dtype = torch::kFloat32);

}  // namespace statetrack::model
