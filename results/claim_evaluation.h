// Testing claims (claims.h) against the runs (docs/claims.md, "Evaluation"). Contract:
//  - An expectation matches the groups whose task matches one of its task matchers, whose model
//    matches one of its model matchers and, when n_layers is given, whose depth equals it (the
//    depth kinds ignore n_layers: depth is what they measure; they use compute_min_depth's rows,
//    by max).
//  - Verdict kinds use the best group verdict over the matched groups (max over runs and depths:
//    "can this architecture do it"); undertrained never contradicts "generalises" or "fits".
//  - A met or contradicted outcome becomes inconclusive when a matched group has fewer seeds at
//    its lr* than the claim's min_seeds. An "expect" list is "any of": met when one kind is met,
//    contradicted when all are.
//  - Claim: not tested (no expectation matched any group), contradicted (one expectation is),
//    reproduced (all are met), else inconclusive, with the reasons.
#pragma once

#include <string>
#include <vector>

#include "results/aggregate.h"
#include "results/claims.h"
#include "results/min_depth.h"
#include "results/verdict.h"

namespace statetrack::results {

enum class Outcome { kMet, kContradicted, kInconclusive, kNotTested };
enum class ClaimVerdict { kReproduced, kContradicted, kInconclusive, kNotTested };

std::string to_string(Outcome outcome);       // "met", "contradicted", "inconclusive", "not tested"
std::string to_string(ClaimVerdict verdict);  // "reproduced", "contradicted", ...

// What a claim is tested on: all refer to one report's data (verdicts parallel to groups).
struct ClaimEvidence {
    const std::vector<GroupAggregate>& groups;
    const std::vector<GroupVerdict>& verdicts;
    const std::vector<MinDepthRow>& min_depth;
    OodMetric ood_metric = OodMetric::kScaled;  // the OOD accuracy the verdicts were judged on
};

struct ExpectationResult {
    Outcome outcome = Outcome::kNotTested;
    std::string measured;  // the numbers behind it
    std::string reason;    // why this outcome
};

struct ClaimResult {
    Claim claim;
    ClaimVerdict verdict = ClaimVerdict::kNotTested;
    std::vector<ExpectationResult> expectations;  // one per claim.expectations
    std::string measured;                         // the expectations' measured text, joined
    std::string reason;
};

ExpectationResult evaluate_expectation(const Expectation& expectation, int64_t min_seeds,
                                       const ClaimEvidence& evidence);
ClaimResult evaluate_claim(const Claim& claim, const ClaimEvidence& evidence);

}  // namespace statetrack::results
