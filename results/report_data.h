// ReportData: everything a report shows, computed once from a ResultsStore and shared by the
// Markdown, HTML and CSV writers, so the three always agree. Contract:
//  - task_order: tasks sorted by algebraic class (aperiodic, solvable, non-solvable, n/a), then
//    by task label; models: model labels sorted;
//  - best_cell(task, model): the heat map / summary number: over the (task, model) groups (every
//    depth and width), the largest max-over-runs OOD sequence accuracy (ID when the task has no
//    OOD length); ties go to the smaller depth, then the smaller width.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "results/aggregate.h"
#include "results/min_depth.h"
#include "results/results_store.h"

namespace statetrack::results {

struct ReportOptions {
    double threshold = kDefaultMinDepthThreshold;  // minimum depth and "solved" summaries
    std::string source;                            // the results directory, for the header
};

struct BestCell {
    double value = 0.0;
    bool out_of_distribution = true;
    int64_t n_layers = 0;
    int64_t d_model = 0;
};

struct TaskInfo {
    std::string label;
    TaskFacts facts;
};

struct ReportData {
    ReportOptions options;
    ResultsStore store;
    std::vector<GroupAggregate> groups;  // aggregate_groups order
    std::vector<MinDepthRow> min_depth;
    std::vector<TaskInfo> task_order;
    std::vector<std::string> models;

    std::vector<const GroupAggregate*> groups_of(const std::string& task) const;
    std::optional<BestCell> best_cell(const std::string& task, const std::string& model) const;
    // The classes present, in report order.
    std::vector<std::string> classes() const;
};

ReportData make_report_data(ResultsStore store, ReportOptions options);

}  // namespace statetrack::results
