// Aggregation of complete runs over seeds and learning rates (results/README.md, "Aggregation").
//
// A group is one (task, model, n_layers, d_model); its runs differ in seed and lr. Per run:
//  - its evaluation mode: "parallel" entries when it has any, else "step" ones;
//  - its accuracy at each length: the entries of that mode at that length, pooled over splits
//    (weighted by examples);
//  - its in-distribution (ID) and out-of-distribution (OOD) summaries: the unweighted mean over
//    the ID (resp. OOD) lengths of the per-length accuracies (absent when it has no such length).
// Every reported number is a statistic over runs of one of these per-run numbers:
//  - max: the maximum over every run of the group (all seeds x lrs): the anchors' protocol
//    (Delétang et al.: max over seeds x lrs);
//  - mean ± CI: over the seeds at the group's selected lr: mean, and the 95% Student t interval
//    half-width t_{0.975, n-1} * s / sqrt(n) (s: sample standard deviation); no CI when n = 1.
// The selected lr maximises the mean over seeds of the ID sequence accuracy (ties: the larger
// mean ID token accuracy, then the smaller lr). Groups without any ID length select on OOD
// sequence accuracy instead (the report says so): that selection sees the test lengths.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "results/result_record.h"

namespace statetrack::results {

struct GroupKey {
    std::string task;
    std::string model;
    int64_t n_layers = 1;
    int64_t d_model = 1;
    bool operator<(const GroupKey& other) const;
    bool operator==(const GroupKey& other) const;
};

// The group a run belongs to: its labels without lr and seed.
GroupKey group_key_of(const RunLabels& labels);

// Statistics of a sample of per-run numbers.
struct SampleStats {
    size_t n = 0;
    double mean = 0.0;
    double max = 0.0;
    std::optional<double> ci95;  // half-width; none when n < 2
};
SampleStats describe_sample(const std::vector<double>& values);  // values non-empty

// One reported number: max over all runs, mean ± CI over the selected lr's seeds.
struct AggregatedValue {
    size_t n_runs = 0;  // runs behind max
    double max = 0.0;
    size_t n_seeds = 0;  // runs behind mean (0: no run at the selected lr has this value)
    double mean = 0.0;
    std::optional<double> ci95;
};

struct AccuracyAggregate {
    AggregatedValue token;
    AggregatedValue sequence;
    AggregatedValue scaled;
};

struct LengthAggregate {
    int64_t length = 0;
    bool in_distribution = false;
    AccuracyAggregate accuracy;
};

struct GroupAggregate {
    GroupKey key;
    TaskFacts task;
    ModelFacts model;  // from the group's first run
    std::vector<std::string> run_ids;
    std::vector<double> lrs;     // distinct, ascending
    std::vector<int64_t> seeds;  // distinct, ascending
    double selected_lr = 0.0;
    bool selected_on_ood = false;  // no ID lengths: the lr was chosen on OOD accuracy
    std::optional<AccuracyAggregate> in_distribution;
    std::optional<AccuracyAggregate> out_of_distribution;
    std::vector<LengthAggregate> lengths;  // ascending
};

// Per-run numbers (exposed for tests and the CSV).
struct RunProfile {
    EvalMode mode = EvalMode::kParallel;
    std::map<int64_t, Accuracy> by_length;
    std::map<int64_t, bool> in_distribution;
    std::optional<Accuracy> id_summary;
    std::optional<Accuracy> ood_summary;
};
RunProfile make_run_profile(const RunResult& run);

// Groups sorted by key; `runs` must all be complete.
std::vector<GroupAggregate> aggregate_groups(const std::vector<RunResult>& runs);

}  // namespace statetrack::results
