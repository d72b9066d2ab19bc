// Aggregation over seeds and lrs against hand-computed numbers (max, mean, Student t CI, lr
// selection, pooling over splits, mode choice) and one fixture group.
#include "results/aggregate.h"

#include <gtest/gtest.h>

#include <cmath>

#include "results/results_store.h"
#include "results/results_test_support.h"

namespace statetrack::results {
namespace {

using testing_support::make_run;

const GroupAggregate& only_group(const std::vector<GroupAggregate>& groups) {
    EXPECT_EQ(groups.size(), 1u);
    return groups.front();
}

TEST(Aggregate, DescribeSampleUsesStudentT) {
    // n = 2: s = 0.1 / sqrt(2), half-width = 12.7062 * s / sqrt(2) = 12.7062 * 0.05.
    const SampleStats two = describe_sample({0.9, 1.0});
    EXPECT_EQ(two.n, 2u);
    EXPECT_NEAR(two.mean, 0.95, 1e-15);
    EXPECT_DOUBLE_EQ(two.max, 1.0);
    ASSERT_TRUE(two.ci95);
    EXPECT_NEAR(*two.ci95, 12.7062047 * 0.05, 1e-6);
    // n = 5: s = sqrt(0.025), half-width = 2.7764451 * sqrt(0.025 / 5).
    const SampleStats five = describe_sample({0.5, 0.6, 0.7, 0.8, 0.9});
    EXPECT_NEAR(five.mean, 0.7, 1e-15);
    EXPECT_NEAR(*five.ci95, 2.7764451 * std::sqrt(0.005), 1e-6);
    const SampleStats one = describe_sample({0.4});
    EXPECT_FALSE(one.ci95);
    EXPECT_DOUBLE_EQ(one.mean, 0.4);
    EXPECT_THROW(describe_sample({}), std::invalid_argument);
}

TEST(Aggregate, MaxOverAllRunsMeanOverSeedsOfTheSelectedLr) {
    // lr 0.001: ID 0.90, 0.92, 0.94 (mean 0.92), OOD 0.80, 0.85, 0.60.
    // lr 0.01:  ID 1.00, 0.96, 0.98 (mean 0.98, selected), OOD 0.50, 0.70, 0.60.
    std::vector<RunResult> runs;
    const double id[2][3] = {{0.90, 0.92, 0.94}, {1.00, 0.96, 0.98}};
    const double ood[2][3] = {{0.80, 0.85, 0.60}, {0.50, 0.70, 0.60}};
    const double lrs[2] = {0.001, 0.01};
    for (int l = 0; l < 2; ++l) {
        for (int s = 0; s < 3; ++s) {
            runs.push_back(make_run("parity", "m", 2, lrs[l], s, {{5, id[l][s]}, {50, ood[l][s]}}));
        }
    }
    const std::vector<GroupAggregate> groups = aggregate_groups(runs);
    const GroupAggregate& g = only_group(groups);
    EXPECT_EQ(g.run_ids.size(), 6u);
    EXPECT_EQ(g.seeds.size(), 3u);
    ASSERT_EQ(g.lrs.size(), 2u);
    EXPECT_DOUBLE_EQ(g.selected_lr, 0.01);
    EXPECT_FALSE(g.selected_on_ood);
    const AggregatedValue& o = g.out_of_distribution->sequence;
    EXPECT_EQ(o.n_runs, 6u);
    EXPECT_DOUBLE_EQ(o.max, 0.85);  // from lr 0.001: max sees every run
    EXPECT_EQ(o.n_seeds, 3u);
    EXPECT_NEAR(o.mean, 0.6, 1e-12);  // lr 0.01 only
    // s = 0.1 (values 0.5, 0.7, 0.6), half-width = t_{0.975,2} * 0.1 / sqrt(3).
    EXPECT_NEAR(*o.ci95, 4.3026527 * 0.1 / std::sqrt(3.0), 1e-6);
    EXPECT_NEAR(g.in_distribution->sequence.mean, 0.98, 1e-12);
    EXPECT_DOUBLE_EQ(g.in_distribution->sequence.max, 1.0);
    EXPECT_NEAR(g.out_of_distribution->scaled.mean, 2 * 0.6 - 1, 1e-12);
    // Per length: the same statistics of the per-run accuracy at that length.
    ASSERT_EQ(g.lengths.size(), 2u);
    EXPECT_EQ(g.lengths[1].length, 50);
    EXPECT_FALSE(g.lengths[1].in_distribution);
    EXPECT_DOUBLE_EQ(g.lengths[1].accuracy.sequence.max, 0.85);
}

TEST(Aggregate, LrTiesGoToTheSmallerLr) {
    std::vector<RunResult> runs = {make_run("t", "m", 1, 0.1, 1, {{5, 1.0}, {50, 0.2}}),
                                   make_run("t", "m", 1, 0.01, 1, {{5, 1.0}, {50, 0.9}}),
                                   make_run("t", "m", 1, 0.03, 1, {{5, 1.0}, {50, 0.4}})};
    const std::vector<GroupAggregate> groups = aggregate_groups(runs);
    const GroupAggregate& g = only_group(groups);
    EXPECT_DOUBLE_EQ(g.selected_lr, 0.01);
    EXPECT_FALSE(g.out_of_distribution->sequence.ci95);  // one seed at lr*
    EXPECT_DOUBLE_EQ(g.out_of_distribution->sequence.mean, 0.9);
}

TEST(Aggregate, WithoutIdLengthsTheLrIsSelectedOnOod) {
    std::vector<RunResult> runs = {make_run("t", "m", 1, 0.1, 1, {{50, 0.3}}),
                                   make_run("t", "m", 1, 0.2, 1, {{50, 0.7}})};
    const std::vector<GroupAggregate> groups = aggregate_groups(runs);
    const GroupAggregate& g = only_group(groups);
    EXPECT_TRUE(g.selected_on_ood);
    EXPECT_DOUBLE_EQ(g.selected_lr, 0.2);
    EXPECT_FALSE(g.in_distribution);
}

TEST(Aggregate, RunProfilePoolsSplitsByExamplesAndPrefersParallelMode) {
    RunResult r = make_run("t", "m", 1, 0.1, 1, {{5, 1.0}, {50, 0.5}});
    r.evaluation[1].examples = 30;  // test, length 50: 0.5 over 30
    r.evaluation.push_back(r.evaluation[1]);
    r.evaluation.back().split = "validation";
    r.evaluation.back().examples = 10;  // validation, length 50: 0.9 over 10
    r.evaluation.back().accuracy = {0.9, 0.9, 0.8};
    r.evaluation.push_back(r.evaluation[0]);
    r.evaluation.back().mode = EvalMode::kStep;  // ignored: the run has parallel entries
    r.evaluation.back().accuracy = {0.0, 0.0, -1.0};
    const RunProfile p = make_run_profile(r);
    EXPECT_EQ(p.mode, EvalMode::kParallel);
    EXPECT_NEAR(p.by_length.at(50).sequence, (30 * 0.5 + 10 * 0.9) / 40.0, 1e-15);
    EXPECT_DOUBLE_EQ(p.by_length.at(5).sequence, 1.0);
    EXPECT_NEAR(p.ood_summary->sequence, 0.6, 1e-15);
    EXPECT_DOUBLE_EQ(p.id_summary->sequence, 1.0);

    RunResult step_only = make_run("t", "m", 1, 0.1, 1, {{5, 0.25}});
    step_only.evaluation[0].mode = EvalMode::kStep;
    EXPECT_EQ(make_run_profile(step_only).mode, EvalMode::kStep);
    EXPECT_FALSE(make_run_profile(step_only).ood_summary);
}

TEST(Aggregate, SummariesAreUnweightedMeansOverLengths) {
    const RunProfile p =
        make_run_profile(make_run("t", "m", 1, 0.1, 1, {{2, 1.0}, {8, 0.8}, {20, 0.6}, {80, 0.2}}));
    EXPECT_NEAR(p.id_summary->sequence, 0.9, 1e-15);
    EXPECT_NEAR(p.ood_summary->sequence, 0.4, 1e-15);
}

TEST(Aggregate, FixtureGroupMatchesHandComputedNumbers) {
    // tomita4 / transformer / L1 OOD lengths 64, 128, 256: seed 1 (0.90, 0.74, 0.60), seed 2
    // 0.02 lower. Per-run means 0.746667 and 0.726667; CI = 12.7062047 * |a - b| / 2.
    const ResultsStore store = load_results_store(testing_support::fixture_sweep().string());
    const auto groups = aggregate_groups(store.complete);
    EXPECT_EQ(groups.size(), 18u);
    const GroupAggregate* g = nullptr;
    for (const GroupAggregate& x : groups) {
        if (x.key == GroupKey{"tomita4", "transformer", 1, 64}) {
            g = &x;
        }
    }
    ASSERT_NE(g, nullptr);
    const AggregatedValue& v = g->out_of_distribution->sequence;
    EXPECT_NEAR(v.max, (0.90 + 0.74 + 0.60) / 3, 1e-12);
    EXPECT_NEAR(v.mean, (0.90 + 0.74 + 0.60 + 0.88 + 0.72 + 0.58) / 6, 1e-12);
    EXPECT_NEAR(*v.ci95, 12.7062047 * 0.01, 1e-6);
    EXPECT_EQ(v.n_seeds, 2u);
    EXPECT_DOUBLE_EQ(g->selected_lr, 0.001);
    EXPECT_EQ(g->model.parameters, 12000 + 49920);
}

}  // namespace
}  // namespace statetrack::results
