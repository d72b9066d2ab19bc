// Predictions: what theory says a model family can express on a task's algebraic class, beside
// the measured verdict (the rules and their sources: docs/verdicts.md). Contract:
//  - predict(task, family, n_layers) applies the rule table of docs/verdicts.md to the task's
//    algebraic class, max_element_order and max_letter_period (0 = unknown); the result carries a
//    short reason and a citation of a section of docs/verdicts.md (which names the papers).
//  - disagreement(prediction, verdict): the flag text when they disagree: "cannot" but the group
//    generalised, or "can" but it only fits. Undertrained groups never disagree (no verdict);
//    "open" and "n/a" predictions never do.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "results/model_family.h"
#include "results/result_record.h"
#include "results/verdict.h"

namespace statetrack::results {

enum class Prediction { kCan, kCannot, kOpen, kNotApplicable };

std::string to_string(Prediction prediction);  // "can", "cannot", "open", "n/a"

struct PredictionResult {
    Prediction prediction = Prediction::kOpen;
    std::string reason;  // one short sentence
    std::string source;  // "docs/verdicts.md §3 (Sarrof et al. 2024)"
};

PredictionResult predict(const TaskFacts& task, ModelFamily family, int64_t n_layers);

std::optional<std::string> disagreement(Prediction prediction, Verdict verdict);

}  // namespace statetrack::results
