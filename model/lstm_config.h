// LstmConfig: the stacked-LSTM baseline (lstm_model.h), read from JSON with a "type": "lstm"
// key. Parsing is strict (core/json_config.h): an unknown key is an error naming the allowed
// keys. Keys and defaults:
//   type        (required) "lstm"
//   vocab_size  (required) V >= 1
//   n_layers    1     L >= 1
//   d_model     256   C >= 1, the embedding width and the hidden size of every layer
// Any d_model is accepted: the width quantum (model_factory.h) is 1.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>

#include "model/sequence_model.h"

namespace statetrack::model {

struct LstmConfig {
    int64_t vocab_size = 0;
    int64_t n_layers = 1;
    int64_t d_model = 256;
};

// Strict parse of a JSON object (see the header comment); throws std::invalid_argument
// "lstm config: '<key>' ..." naming the bad key and value.
LstmConfig lstm_config_from_json(const nlohmann::json& json);
nlohmann::json lstm_config_to_json(const LstmConfig& config);

// The factory's entry points: a model with the seeded torch init (lstm_model.h), and the step
// between accepted d_model values (1).
SequenceModelPtr lstm_from_json(const nlohmann::json& config, uint64_t seed);
int64_t lstm_width_quantum(const nlohmann::json& config);

}  // namespace statetrack::model
