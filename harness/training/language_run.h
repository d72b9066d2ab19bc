// The one-command path for a user's own language: `statetrack run --regex RE | --dfa F |
// --group G | --task SPEC --models rwkv7,transformer,...` becomes a sweep (one run per model,
// same task, budget and seed), run like any sweep into OUT/runs/<id>/ and reported in
// OUT/report/. Every run records the language's algebraic class (result.json task block), so
// the report shows the prediction beside the measured accuracy.
// Defaults: formulation membership_tagging (is each prefix in the language?), train lengths
// 1–40, test lengths 1–40 and 41–120 (every 4th), 1000 steps of batch 32 (early stop at 99.9%
// validation accuracy), AdamW lr 3e-3, each model at n_layers 2, d_model 64 (LSTM: 1 layer).
// A --models item is a type (rwkv7, transformer, lstm, mamba) or a model config JSON file.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace statetrack::harness {

struct LanguageRunRequest {
    std::string task_spec;  // e.g. "regex:(a|bb)*", "group:A5", "dfa:my.json", "tomita3"
    std::vector<std::string> models;
    std::string formulation = "membership_tagging";
    int64_t max_steps = 1000;
    int64_t n_layers = 2;
    int64_t d_model = 64;
    int64_t seed = 1;
    int64_t workers = 1;
};

// The sweep config (sweep_config.h) for the request; throws std::invalid_argument naming a
// bad --models item.
nlohmann::json language_sweep_json(const LanguageRunRequest& request);

// "a,b,c" -> {"a", "b", "c"}; empty items are an error.
std::vector<std::string> split_model_list(const std::string& text);

}  // namespace statetrack::harness
