// The prediction rule table (see prediction.h; the theory is summarised in docs/verdicts.md).
#include "results/prediction.h"

#include <fmt/format.h>

#include "core/enum_names.h"

namespace statetrack::results {
namespace {

constexpr const char* kDoc = "docs/verdicts.md";
constexpr auto kPredictionNames =
    core::enum_names(Prediction::kCan, "can", Prediction::kCannot, "cannot", Prediction::kOpen,
                     "open", Prediction::kNotApplicable, "n/a")
        .otherwise(Prediction::kNotApplicable);

PredictionResult make(Prediction p, std::string reason, const std::string& section) {
    return {p, std::move(reason), fmt::format("{} {}", kDoc, section)};
}

PredictionResult predict_diagonal_signed(const TaskFacts& t, int64_t n_layers) {
    const int64_t order = t.max_element_order;
    if (t.algebraic_class == "solvable" && order >= 1 && order <= 2) {
        return make(Prediction::kCan, "eigenvalues in [-1, 1] realise elements of order ≤ 2",
                    "§4 (Grazzi et al. 2025, Thm 2)");
    }
    if (t.algebraic_class == "non-solvable") {
        return make(Prediction::kCannot,
                    "diagonal SSMs are in TC0 at log precision; the word problem is NC1-complete",
                    "§4 (Merrill et al. 2024; Barrington 1989)");
    }
    if (n_layers == 1 && order >= 3) {
        return make(Prediction::kCannot,
                    fmt::format("one diagonal real layer repeats with period ≤ 2; an element of "
                                "order {} cannot cycle",
                                order),
                    "§4 (Grazzi et al. 2025, Thm 2)");
    }
    return make(Prediction::kOpen,
                order == 0 ? "element orders unknown" : "order ≥ 3 with several layers",
                "§4 (Grazzi et al. 2025)");
}

PredictionResult predict_dplr_bounded(const TaskFacts& t, int64_t n_layers) {
    if (n_layers == 1 && t.max_letter_period >= 2) {
        return make(Prediction::kCannot,
                    fmt::format("one layer: each letter's transition has real eigenvalues > "
                                "-0.455, so a letter of period {} converges instead of cycling",
                                t.max_letter_period),
                    "§6 (Grazzi et al. 2025, Thm 1; Peng et al. 2025)");
    }
    return make(Prediction::kOpen,
                n_layers == 1 ? "letter periods unknown or 1"
                              : "several bounded layers: no construction or bound known",
                "§6 (Peng et al. 2025)");
}

// One letter's transition diag(w) - k^T (a * k) is similar to a symmetric matrix: real
// eigenvalues, here reaching -1. A letter of period 2 can be a reflection; one of period >= 3
// cannot cycle within one layer (docs/verdicts.md §5).
PredictionResult predict_dplr_reflect(const TaskFacts& t, int64_t n_layers) {
    const int64_t period = t.max_letter_period;
    if (period >= 1 && period <= 2) {
        return make(Prediction::kCan,
                    "every letter has period ≤ 2 and can act as a reflection (eigenvalue -1); "
                    "products of reflections track permutations in one layer",
                    "§5 (Peng et al. 2025; Grazzi et al. 2025)");
    }
    if (n_layers == 1 && period >= 3) {
        return make(Prediction::kCannot,
                    fmt::format("one layer: each letter's transition has real eigenvalues in "
                                "[-1, 1], so a letter of period {} cannot cycle",
                                period),
                    "§5 (Grazzi et al. 2025, Thm 1)");
    }
    return make(Prediction::kOpen,
                period == 0 ? "letter periods unknown"
                            : "a letter of period ≥ 3 needs products across layers; a constant "
                              "number suffices, not necessarily this one",
                "§5 (Grazzi et al. 2025; Peng et al. 2025)");
}

PredictionResult predict_attention(const TaskFacts& t) {
    if (t.algebraic_class == "non-solvable") {
        return make(Prediction::kCannot,
                    "fixed-depth log-precision transformers are in TC0; the word problem is "
                    "NC1-complete",
                    "§7 (Merrill & Sabharwal 2023; Barrington 1989)");
    }
    return make(Prediction::kOpen,
                "in TC0 (contains ACC0), but no fixed-depth length-generalising construction; "
                "shortcuts need depth growing with log length",
                "§7 (Liu et al. 2023)");
}

PredictionResult predict_group(const TaskFacts& t, ModelFamily family, int64_t n_layers) {
    switch (family) {
        case ModelFamily::kNonlinearRnn:
            return make(Prediction::kCan, "a finite-state machine fits in one layer",
                        "§2 (Merrill et al. 2024)");
        case ModelFamily::kDplrReflect:
            return predict_dplr_reflect(t, n_layers);
        case ModelFamily::kDiagonalNonneg:
            return make(Prediction::kCannot,
                        "nonnegative diagonal transitions recognise only star-free languages",
                        "§3 (Sarrof et al. 2024; Grazzi et al. 2025, Thm 1)");
        case ModelFamily::kDiagonalSigned:
            return predict_diagonal_signed(t, n_layers);
        case ModelFamily::kDplrBounded:
            return predict_dplr_bounded(t, n_layers);
        case ModelFamily::kDplrUnclamped:
            return make(Prediction::kOpen, "eigenvalues > -1 but not reaching -1", "§6");
        case ModelFamily::kAttention:
            return predict_attention(t);
        case ModelFamily::kUnknown:
            break;
    }
    return make(Prediction::kOpen, "unknown model family", "§8");
}

}  // namespace

std::string to_string(Prediction prediction) {
    return std::string(kPredictionNames.name(prediction));
}

PredictionResult predict(const TaskFacts& task, ModelFamily family, int64_t n_layers) {
    const std::string& cls = task.algebraic_class;
    if (cls == "aperiodic") {
        return make(Prediction::kCan, "star-free: every family here expresses it",
                    "§1 (Sarrof et al. 2024; Yang, Chiang & Angluin 2024)");
    }
    if (cls == "solvable" || cls == "non-solvable") {
        return predict_group(task, family, n_layers);
    }
    return make(Prediction::kNotApplicable, "not a regular-language task", "§0");
}

std::optional<std::string> disagreement(Prediction prediction, Verdict verdict) {
    if (prediction == Prediction::kCannot && verdict == Verdict::kGeneralises) {
        return std::string(
            "generalised where theory says impossible: the test lengths may be too short to "
            "expose finite precision");
    }
    if (prediction == Prediction::kCan && verdict == Verdict::kFitsOnly) {
        return std::string("expressible, not learned in this budget");
    }
    return std::nullopt;
}

}  // namespace statetrack::results
