// Verdicts: what the runs say about a configuration, separating "cannot" from "did not train"
// (docs/verdicts.md). Contract:
//  - run_verdict, from make_run_profile's summaries: the run fits when its ID sequence accuracy
//    >= fit_threshold (every position of the training lengths right: Merrill et al.'s metric);
//    it generalises when it fits and its OOD accuracy in `metric` >= threshold (the report's
//    default is scaled accuracy, the per-position, chance-corrected accuracy that the length-
//    generalisation anchors report: Delétang et al., Grazzi et al.); a fitting run without any
//    OOD length (e.g. MQAR) solves in
//    distribution. A run that does not fit is undertrained: no verdict on expressivity (never
//    "fails"). A run without any ID length is judged on OOD alone: generalises or undertrained.
//  - group_verdict: the best verdict over the group's runs (max over runs: "can this
//    architecture do it"; generalises and solves-in-distribution rank highest, then fits only,
//    then undertrained), the count of runs per verdict and the budget facts for the reason text.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "results/aggregate.h"

namespace statetrack::results {

enum class Verdict { kUndertrained, kFitsOnly, kGeneralises, kSolvesInDistribution };
inline constexpr double kDefaultFitThreshold = 0.95;

// The out-of-distribution accuracy "generalises" is judged on.
enum class OodMetric { kScaled, kToken, kSequence };
std::string to_string(OodMetric metric);  // "scaled" | "token" | "sequence"
// Throws std::invalid_argument naming the text and the choices.
OodMetric parse_ood_metric(const std::string& text);
double metric_value(const Accuracy& accuracy, OodMetric metric);

// The member of `values` that `metric` names, for any per-metric struct with token, sequence and
// scaled members (Accuracy, AccuracyAggregate), so every reader picks the metric one way.
template <typename PerMetric>
auto& metric_member(PerMetric& values, OodMetric metric) {
    switch (metric) {
        case OodMetric::kToken:
            return values.token;
        case OodMetric::kSequence:
            return values.sequence;
        case OodMetric::kScaled:
            break;
    }
    return values.scaled;
}

// "generalises", "fits, does not generalise", "solves in distribution",
// "does not fit in budget: no verdict on expressivity".
std::string to_string(Verdict verdict);
// Tables and CSV: "generalises", "fits_only", "solves_in_distribution", "undertrained".
std::string short_name(Verdict verdict);
char verdict_mark(Verdict verdict);  // G, F, S, U
int verdict_rank(Verdict verdict);   // undertrained 0, fits only 1, generalises / solves 2

Verdict run_verdict(const RunProfile& profile, double fit_threshold, double threshold,
                    OodMetric metric);

struct GroupVerdict {
    GroupKey key;
    Verdict verdict = Verdict::kUndertrained;  // best over runs
    size_t n_runs = 0;
    size_t n_with_verdict = 0;        // runs whose verdict ranks as `verdict`
    std::array<size_t, 4> counts{};   // per Verdict, indexed by its enum value
    std::vector<std::string> budget;  // "stopped at max_steps 1500 (2 runs)"
    std::string reason;               // one sentence with the numbers
};

// `runs`: the group's complete runs (any order, non-empty).
GroupVerdict group_verdict(const GroupKey& key, const std::vector<const RunResult*>& runs,
                           double fit_threshold, double threshold, OodMetric metric);

// One per group, in `groups` order; `runs` as aggregate_groups received them.
std::vector<GroupVerdict> group_verdicts(const std::vector<RunResult>& runs,
                                         const std::vector<GroupAggregate>& groups,
                                         double fit_threshold, double threshold, OodMetric metric);

}  // namespace statetrack::results
