// TransformerConfig: the Transformer baseline (transformer_model.h), read from JSON with a
// "type": "transformer" key. Parsing is strict (json_config.h): an unknown key is an error
// naming the allowed keys. Keys and defaults:
//   type         (required) "transformer"
//   vocab_size   (required) V >= 1; the untied head predicts V logits
//   n_layers     2       L >= 1 pre-LN blocks
//   d_model      128     C, a multiple of n_heads (of 2·n_heads for "rope": even head size)
//   n_heads      4       H >= 1; head size N = C / H
//   d_ff         0       MLP hidden width; 0 = 4·d_model
//   positional   "rope"  one of "none" (NoPE), "sinusoidal", "learned", "rope", "alibi"
//                        (positional_encoding.h)
//   causal       true    false = bidirectional encoder (for final-label tasks): no causal mask,
//                        no step mode
//   max_seq_len  4096    positions of the "learned" table; a longer input is an error. The
//                        other encodings accept any length (the key is still validated, >= 1)
//   dropout      0.0     in [0, 1): on attention probabilities and on both residual branches,
//                        in training mode only
// Parsed configs are resolved (d_ff = 0 is replaced by 4·d_model), so to_json writes every key.
// The factory's entry points (model_factory.h) are declared here too.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>

#include "model/positional_encoding.h"
#include "model/sequence_model.h"

namespace statetrack::model {

struct TransformerConfig {
    int64_t vocab_size = 0;
    int64_t n_layers = 2;
    int64_t d_model = 128;
    int64_t n_heads = 4;
    int64_t d_ff = 0;  // 0 = 4·d_model (resolved by resolve_transformer_config)
    PositionalEncoding positional = PositionalEncoding::kRope;
    bool causal = true;
    int64_t max_seq_len = 4096;
    double dropout = 0.0;

    int64_t head_size() const { return d_model / n_heads; }
};

// Checks ranges and divisibility, then fills d_ff = 0 with 4·d_model.
// Throws std::invalid_argument naming the bad key and value.
TransformerConfig resolve_transformer_config(TransformerConfig config);

// Strict parse of a JSON object (see the header comment); the result is resolved.
TransformerConfig transformer_config_from_json(const nlohmann::json& json);
nlohmann::json transformer_config_to_json(const TransformerConfig& config);

// Factory entry points: a float32 CPU model with the GPT-2 style init for `seed`
// (transformer_init.h), and the step between accepted d_model values: n_heads, or 2·n_heads
// for "rope" (the head size must be even). The quantum reads only n_heads and positional.
SequenceModelPtr transformer_from_json(const nlohmann::json& config, uint64_t seed);
int64_t transformer_width_quantum(const nlohmann::json& config);

}  // namespace statetrack::model
