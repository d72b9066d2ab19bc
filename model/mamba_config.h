// MambaConfig: the selective-SSM baseline (Mamba, Gu & Dao 2023), read from JSON with a
// "type": "mamba" key. Parsing is strict (core/json_config.h): an unknown key is an error
// naming the allowed keys. Keys and defaults:
//   type                  (required) "mamba"
//   vocab_size            (required) V >= 1; the untied head predicts V logits
//   n_layers              2      L >= 1 Mamba blocks
//   d_model               128    C >= 1
//   d_state               16     S >= 1, SSM state size per channel
//   expand                2      E = expand·C inner channels, expand >= 1
//   d_conv                4      causal depthwise convolution width, >= 1
//   dt_rank               0      rank of the delta projection, >= 1; 0 = ceil(d_model / 16)
//   negative_eigenvalues  false  false: a = exp(delta·A) ∈ (0, 1); true: a = 2·exp(delta·A) − 1
//                                ∈ (−1, 1), Grazzi et al. 2025's "positive_and_negative" Mamba,
//                                which can count mod 2 (parity)
// Parsed configs carry the resolved dt_rank, so to_json writes it explicitly.
// Any d_model is accepted: the width quantum (model_factory.h) is 1.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>

#include "model/sequence_model.h"

namespace statetrack::model {

struct MambaConfig {
    int64_t vocab_size = 0;
    int64_t n_layers = 2;
    int64_t d_model = 128;
    int64_t d_state = 16;
    int64_t expand = 2;
    int64_t d_conv = 4;
    int64_t dt_rank = 0;  // 0 = ceil(d_model / 16) (resolved by resolve_mamba_config)
    bool negative_eigenvalues = false;

    int64_t d_inner() const { return expand * d_model; }
};

// Checks ranges, then fills dt_rank = 0 from its formula. Throws std::invalid_argument
// "mamba config: '<key>' ..." naming the bad key and value.
MambaConfig resolve_mamba_config(MambaConfig config);

// Strict parse of a JSON object (see the header comment); the result is resolved.
MambaConfig mamba_config_from_json(const nlohmann::json& json);
nlohmann::json mamba_config_to_json(const MambaConfig& config);

// The factory's entry points (model_factory.h): a model with Mamba's initialisation for
// `seed` (mamba_model.h), and the step between accepted d_model values (1).
SequenceModelPtr mamba_from_json(const nlohmann::json& config, uint64_t seed);
int64_t mamba_width_quantum(const nlohmann::json& config);

}  // namespace statetrack::model
