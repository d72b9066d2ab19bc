// Internal to claim evaluation (claim_evaluation.h): the judgement type, the helpers shared by
// the verdict kinds (claim_evaluation.cpp) and the depth kinds (claim_depth.cpp), and
// judge_depth, which tests min_depth_at_most, min_depth_grows and fewer_layers_than on
// compute_min_depth's rows (by max; "none up to D" counts as D + 1).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "results/claim_evaluation.h"

namespace statetrack::results::claim_detail {

struct Judgement {
    Outcome outcome = Outcome::kNotTested;
    std::string reason;
};

bool any_model(const std::vector<ModelMatcher>& ms, const std::string& label, const ModelFacts& m);
bool any_task(const Expectation& e, const std::string& label, const TaskFacts& t);
size_t seeds_at_lr(const GroupAggregate& g);  // runs at lr* (the larger of ID and OOD counts)
// A met or contradicted judgement on groups with too few seeds becomes inconclusive.
Judgement check_seeds(Judgement j, const std::vector<size_t>& groups, int64_t min_seeds,
                      const ClaimEvidence& ev);
// Not tested when empty; contradicted when one is; met when all are; else inconclusive.
Judgement combine_all(const std::vector<Judgement>& parts);

// The judgement and the measured text ("rwkv7 on group:A5 (d64): min depth 1@8, 2@32").
std::pair<Judgement, std::string> judge_depth(ExpectKind kind, const Expectation& e,
                                              int64_t min_seeds, const ClaimEvidence& ev);

}  // namespace statetrack::results::claim_detail
