// Rwkv7Config: the RWKV-7 "Goose" architecture, read from JSON with a "type": "rwkv7" key.
// Parsing is strict: an unknown key is an error naming the allowed keys. Keys and defaults:
//   type        (required) "rwkv7"
//   vocab_size  (required) V >= 1; the untied head predicts V logits
//   n_layers    2     L >= 1
//   d_model     128   C, a multiple of head_size
//   head_size   64    N, one of 16, 32, 64, 128; H = C / N heads
//   dim_w       0     decay LoRA width;  0 = max(32, round(2.5·√C / 32)·32)
//   dim_a       0     in-context learning rate (a) LoRA width; 0 = the same formula as dim_w
//   dim_v       0     value-residual LoRA width; 0 = max(32, round(1.7·√C / 32)·32)
//   dim_g       0     output-gate LoRA width;    0 = max(32, round(5·√C / 32)·32)
// Ablations (issue 4), each isolating one ingredient of RWKV-7's state tracking; the defaults
// are the reference architecture, and no switch changes the parameter set (unused tensors stay,
// so weights files keep RWKV-LM's names):
//   transition  "full"   "diagonal" drops the delta-rule term (a = b = 0): S ← S·diag(w) + v kᵀ,
//                        a diagonal, input-dependent transition (the diagonal-SSM class)
//   extended_eigenvalues false   true scales the in-context learning rate a to (0, 2), so the
//                        eigenvalue w − a along κ̂ reaches (−1.455, 1) instead of (−0.455, 1)
//                        (Grazzi et al.'s [−1, 1] switch; a enters the transition and the
//                        replacement key alike)
//   value_residual true  false: every layer uses its own v (no lerp toward layer 0's v)
//   bonus       true     false: no r_k bonus term (r·k·ρ)v after the GroupNorm
//   decay_clamp true     false: decay = exp(−exp(d − 0.5)) ∈ (0, 1), the paper-era form without
//                        the soft clamp −softplus(−d), so decays may approach 0
// The formulas are RWKV-LM's current ones (docs/rwkv7.md §9.3), `round` being Python's
// (half to even). Parsed configs carry the resolved widths, so to_json writes them explicitly.
// The channel-mix hidden width is 4C, hard-coded as in the reference.
// The factory's entry points (model_factory.h) are declared here too: rwkv7_from_json builds
// the model with the reference initialisation (rwkv7_init.h).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "model/sequence_model.h"

namespace statetrack::model {

struct Rwkv7Config {
    int64_t vocab_size = 0;
    int64_t n_layers = 2;
    int64_t d_model = 128;
    int64_t head_size = 64;
    int64_t dim_w = 0;  // 0 = formula (resolved by resolve_rwkv7_config)
    int64_t dim_a = 0;
    int64_t dim_v = 0;
    int64_t dim_g = 0;
    bool diagonal_transition = false;  // "transition": "diagonal"
    bool extended_eigenvalues = false;
    bool value_residual = true;
    bool bonus = true;
    bool decay_clamp = true;

    int64_t n_heads() const { return d_model / head_size; }
    int64_t d_ffn() const { return 4 * d_model; }
};

// max(32, round(factor·√d_model / 32)·32), with Python's round-half-to-even.
int64_t rwkv7_lora_dim(double factor, int64_t d_model);

// Checks ranges and divisibility, then fills LoRA widths left at 0 from the formulas.
// Throws std::invalid_argument naming the bad key and value.
Rwkv7Config resolve_rwkv7_config(Rwkv7Config config);

// Strict parse of a JSON object (see the header comment); the result is resolved.
Rwkv7Config rwkv7_config_from_json(const nlohmann::json& json);
nlohmann::json rwkv7_config_to_json(const Rwkv7Config& config);

// Reads and parses a JSON file; errors name the file.
Rwkv7Config load_rwkv7_config(const std::string& path);

// Factory entry points: a float32 CPU model with the reference initialisation for `seed`, and
// the step between accepted d_model values (head_size; only that key is read).
SequenceModelPtr rwkv7_from_json(const nlohmann::json& config, uint64_t seed);
int64_t rwkv7_width_quantum(const nlohmann::json& config);

}  // namespace statetrack::model
