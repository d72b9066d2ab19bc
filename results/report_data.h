// ReportData: everything a report shows, computed once from a ResultsStore and shared by the
// Markdown, HTML and CSV writers, so the three always agree. Contract:
//  - task_order: tasks sorted by algebraic class (aperiodic, solvable, non-solvable, n/a), then
//    by task label; models: model labels sorted;
//  - best_cell(task, model): the heat map / summary number: over the (task, model) groups (every
//    depth and width), the largest max-over-runs OOD sequence accuracy (ID when the task has no
//    OOD length); ties go to the smaller depth, then the smaller width;
//  - verdicts and predictions: one per group, parallel to `groups` (verdict.h, prediction.h);
//  - claims: the published claims (unless options.published_claims is false) and those of
//    options.claims_files, each tested against the runs (claim_evaluation.h). A bad claims file
//    or a duplicate claim id throws std::invalid_argument naming the file and key.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "results/aggregate.h"
#include "results/claim_evaluation.h"
#include "results/min_depth.h"
#include "results/prediction.h"
#include "results/results_store.h"
#include "results/verdict.h"

namespace statetrack::results {

struct ReportOptions {
    double threshold = kDefaultMinDepthThreshold;  // minimum depth, "solved", "generalises"
    double fit_threshold = kDefaultFitThreshold;   // ID sequence accuracy a run needs to fit
    OodMetric ood_metric = OodMetric::kScaled;     // what "generalises" reads (verdict.h)
    std::string source;                            // the results directory, for the header
    std::vector<std::string> claims_files;         // more claims (schema statetrack.claims/1)
    bool published_claims = true;                  // test results/claims/published.json too
};

struct BestCell {
    double value = 0.0;
    bool out_of_distribution = true;
    int64_t n_layers = 0;
    int64_t d_model = 0;
    std::optional<Verdict> verdict;  // of the group achieving it
};

struct ReportTask {
    std::string label;
    TaskFacts facts;
};

struct ReportData {
    ReportOptions options;
    ResultsStore store;
    std::vector<GroupAggregate> groups;  // aggregate_groups order
    std::vector<MinDepthRow> min_depth;
    std::vector<ReportTask> task_order;
    std::vector<std::string> models;
    std::vector<GroupVerdict> verdicts;         // parallel to groups
    std::vector<PredictionResult> predictions;  // parallel to groups
    std::vector<ClaimResult> claims;            // in claims-file order, published first

    std::vector<const GroupAggregate*> groups_of(const std::string& task) const;
    // The verdict and prediction of one of `groups` (by key).
    const GroupVerdict& verdict_of(const GroupAggregate& group) const;
    const PredictionResult& prediction_of(const GroupAggregate& group) const;
    // The flag text when the group's prediction and verdict disagree.
    std::optional<std::string> flag_of(const GroupAggregate& group) const;
    std::optional<BestCell> best_cell(const std::string& task, const std::string& model) const;
    // The classes present, in report order.
    std::vector<std::string> classes() const;
};

ReportData make_report_data(ResultsStore store, ReportOptions options);

}  // namespace statetrack::results
