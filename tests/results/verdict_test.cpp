// Run and group verdicts (thresholds exactly at 0.95, ID-only tasks, budget text), every
// prediction rule of docs/verdicts.md as one table, and the disagreement flags.
#include "results/verdict.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "results/prediction.h"
#include "results/results_test_support.h"

namespace statetrack::results {
namespace {

using testing_support::make_run;

// ID length 5 and, when ood >= 0, OOD length 50 (train lengths [1, 10]).
Verdict verdict_of(double id, double ood, double fit = 0.95, double threshold = 0.95) {
    std::vector<std::pair<int64_t, double>> acc = {{5, id}};
    if (ood >= 0.0) {
        acc.push_back({50, ood});
    }
    return run_verdict(make_run_profile(make_run("t", "m", 1, 0.1, 1, acc)), fit, threshold,
                       OodMetric::kSequence);
}

TEST(Verdict, RunThresholdsAreInclusive) {
    EXPECT_EQ(verdict_of(0.95, 0.95), Verdict::kGeneralises);
    EXPECT_EQ(verdict_of(0.95, 0.9499), Verdict::kFitsOnly);
    EXPECT_EQ(verdict_of(0.9499, 1.0), Verdict::kUndertrained);
    EXPECT_EQ(verdict_of(1.0, 0.2), Verdict::kFitsOnly);
    // Separate thresholds: fit at 0.9, generalise at 0.99.
    EXPECT_EQ(verdict_of(0.92, 0.98, 0.9, 0.99), Verdict::kFitsOnly);
    EXPECT_EQ(verdict_of(0.92, 0.99, 0.9, 0.99), Verdict::kGeneralises);
}

// The OOD metric decides "generalises"; fitting is always ID sequence accuracy. The fixture's
// scaled accuracy is 2 * acc - 1 (chance 0.5).
TEST(Verdict, OodMetricSelectsTheAccuracyThatMustReachTheThreshold) {
    const RunProfile p = make_run_profile(make_run("t", "m", 1, 0.1, 1, {{5, 1.0}, {50, 0.96}}));
    EXPECT_EQ(run_verdict(p, 0.95, 0.95, OodMetric::kSequence), Verdict::kGeneralises);
    EXPECT_EQ(run_verdict(p, 0.95, 0.95, OodMetric::kToken), Verdict::kGeneralises);
    EXPECT_EQ(run_verdict(p, 0.95, 0.95, OodMetric::kScaled), Verdict::kFitsOnly);  // 0.92
    EXPECT_EQ(run_verdict(p, 0.95, 0.9, OodMetric::kScaled), Verdict::kGeneralises);
    EXPECT_EQ(run_verdict(p, 0.95, 0.97, OodMetric::kToken), Verdict::kFitsOnly);
    EXPECT_EQ(parse_ood_metric("token"), OodMetric::kToken);
    EXPECT_EQ(to_string(parse_ood_metric("scaled")), "scaled");
    EXPECT_THROW(parse_ood_metric("f1"), std::invalid_argument);
}

TEST(Verdict, TaskWithoutOodLengthsSolvesInDistribution) {
    EXPECT_EQ(verdict_of(0.95, -1.0), Verdict::kSolvesInDistribution);
    EXPECT_EQ(verdict_of(0.94, -1.0), Verdict::kUndertrained);
    // Only OOD lengths evaluated: judged on OOD alone.
    const RunProfile ood_only = make_run_profile(make_run("t", "m", 1, 0.1, 1, {{50, 0.97}}));
    EXPECT_EQ(run_verdict(ood_only, 0.95, 0.95, OodMetric::kSequence), Verdict::kGeneralises);
}

TEST(Verdict, NamesNeverSayFails) {
    EXPECT_EQ(to_string(Verdict::kUndertrained),
              "does not fit in budget: no verdict on expressivity");
    EXPECT_EQ(to_string(Verdict::kFitsOnly), "fits, does not generalise");
    EXPECT_EQ(verdict_mark(Verdict::kGeneralises), 'G');
    EXPECT_EQ(verdict_mark(Verdict::kFitsOnly), 'F');
    EXPECT_EQ(verdict_mark(Verdict::kUndertrained), 'U');
    EXPECT_EQ(verdict_mark(Verdict::kSolvesInDistribution), 'S');
}

TEST(Verdict, GroupTakesTheBestRunAndCounts) {
    RunResult a = make_run("t", "m", 2, 0.1, 1, {{5, 1.0}, {50, 0.97}});
    RunResult b = make_run("t", "m", 2, 0.1, 2, {{5, 1.0}, {50, 0.4}});
    RunResult c = make_run("t", "m", 2, 0.01, 1, {{5, 0.5}, {50, 0.4}});
    c.training.steps = 1500;
    const GroupVerdict v = group_verdict({"t", "m", 2, 16}, {&a, &b, &c}, 0.95, 0.95,
                                         OodMetric::kSequence);
    EXPECT_EQ(v.verdict, Verdict::kGeneralises);
    EXPECT_EQ(v.n_runs, 3u);
    EXPECT_EQ(v.n_with_verdict, 1u);
    EXPECT_EQ(v.counts[static_cast<size_t>(Verdict::kFitsOnly)], 1u);
    EXPECT_EQ(v.counts[static_cast<size_t>(Verdict::kUndertrained)], 1u);
    EXPECT_EQ(v.reason,
              "1/3 runs generalise (ID sequence accuracy ≥ 0.95, OOD sequence accuracy ≥ 0.95; "
              "best OOD 0.970)");
}

TEST(Verdict, UndertrainedGroupStatesItsBudget) {
    RunResult a = make_run("t", "m", 1, 0.1, 1, {{5, 0.6}, {50, 0.5}});
    RunResult b = make_run("t", "m", 1, 0.1, 2, {{5, 0.7}, {50, 0.5}});
    a.training.steps = 1500;
    b.training.steps = 1200;
    const GroupVerdict v = group_verdict({"t", "m", 1, 16}, {&a, &b}, 0.95, 0.95,
                                         OodMetric::kSequence);
    EXPECT_EQ(v.verdict, Verdict::kUndertrained);
    EXPECT_EQ(v.n_with_verdict, 2u);
    EXPECT_EQ(v.budget, (std::vector<std::string>{"stopped at max_steps 1500 (2 runs)"}));
    EXPECT_EQ(v.reason,
              "no run fits: best ID sequence accuracy 0.700 < 0.95; stopped at max_steps 1500 "
              "(2 runs)");
}

TEST(Verdict, GroupsFollowAggregateOrder) {
    const std::vector<RunResult> runs = {make_run("t", "b", 1, 0.1, 1, {{5, 1.0}}),
                                         make_run("t", "a", 1, 0.1, 1, {{5, 0.1}})};
    const auto groups = aggregate_groups(runs);
    const auto verdicts = group_verdicts(runs, groups, 0.95, 0.95, OodMetric::kSequence);
    ASSERT_EQ(verdicts.size(), 2u);
    EXPECT_EQ(verdicts[0].key.model, "a");
    EXPECT_EQ(verdicts[0].verdict, Verdict::kUndertrained);
    EXPECT_EQ(verdicts[1].verdict, Verdict::kSolvesInDistribution);
}

struct PredictionCase {
    std::string algebraic_class;
    int64_t order;
    int64_t period;
    ModelFamily family;
    int64_t layers;
    Prediction expected;
};

TEST(Prediction, EveryRule) {
    using F = ModelFamily;
    using P = Prediction;
    const std::vector<PredictionCase> cases = {
        {"n/a", 0, 0, F::kAttention, 2, P::kNotApplicable},
        {"n/a", 0, 0, F::kNonlinearRnn, 1, P::kNotApplicable},
        {"aperiodic", 1, 1, F::kDiagonalNonneg, 1, P::kCan},
        {"aperiodic", 1, 1, F::kAttention, 1, P::kCan},
        {"aperiodic", 1, 1, F::kUnknown, 1, P::kCan},
        {"solvable", 2, 2, F::kNonlinearRnn, 1, P::kCan},
        {"non-solvable", 6, 5, F::kNonlinearRnn, 1, P::kCan},
        {"non-solvable", 6, 5, F::kDplrReflect, 1, P::kCannot},  // A5 by its elements
        {"non-solvable", 6, 2, F::kDplrReflect, 1, P::kCan},     // S5 by transpositions
        {"solvable", 2, 2, F::kDplrReflect, 1, P::kCan},         // parity
        {"solvable", 5, 5, F::kDplrReflect, 1, P::kCannot},      // cycle navigation
        {"solvable", 5, 5, F::kDplrReflect, 2, P::kOpen},
        {"solvable", 5, 0, F::kDplrReflect, 1, P::kOpen},
        {"solvable", 2, 2, F::kDiagonalNonneg, 4, P::kCannot},
        {"non-solvable", 6, 5, F::kDiagonalNonneg, 4, P::kCannot},
        {"solvable", 2, 2, F::kDiagonalSigned, 1, P::kCan},
        {"solvable", 1, 1, F::kDiagonalSigned, 3, P::kCan},
        {"non-solvable", 6, 5, F::kDiagonalSigned, 4, P::kCannot},
        {"solvable", 3, 3, F::kDiagonalSigned, 1, P::kCannot},
        {"solvable", 3, 3, F::kDiagonalSigned, 2, P::kOpen},
        {"solvable", 0, 0, F::kDiagonalSigned, 1, P::kOpen},
        {"solvable", 2, 2, F::kDplrBounded, 1, P::kCannot},
        {"non-solvable", 6, 5, F::kDplrBounded, 1, P::kCannot},
        {"solvable", 2, 2, F::kDplrBounded, 2, P::kOpen},
        {"solvable", 2, 1, F::kDplrBounded, 1, P::kOpen},
        {"solvable", 2, 0, F::kDplrBounded, 1, P::kOpen},
        {"solvable", 2, 2, F::kDplrUnclamped, 1, P::kOpen},
        {"solvable", 2, 2, F::kAttention, 1, P::kOpen},
        {"non-solvable", 6, 5, F::kAttention, 8, P::kCannot},
        {"solvable", 2, 2, F::kUnknown, 1, P::kOpen},
        {"non-solvable", 6, 5, F::kUnknown, 1, P::kOpen},
    };
    for (const PredictionCase& c : cases) {
        TaskFacts task;
        task.algebraic_class = c.algebraic_class;
        task.max_element_order = c.order;
        task.max_letter_period = c.period;
        const PredictionResult p = predict(task, c.family, c.layers);
        EXPECT_EQ(p.prediction, c.expected)
            << c.algebraic_class << " order " << c.order << " period " << c.period << " "
            << to_string(c.family) << " L" << c.layers << ": " << p.reason;
        EXPECT_EQ(p.source.rfind("docs/verdicts.md §", 0), 0u) << p.source;
        EXPECT_FALSE(p.reason.empty());
    }
}

TEST(Prediction, CitesThePapers) {
    TaskFacts task;
    task.algebraic_class = "solvable";
    EXPECT_EQ(predict(task, ModelFamily::kDiagonalNonneg, 1).source,
              "docs/verdicts.md §3 (Sarrof et al. 2024; Grazzi et al. 2025, Thm 1)");
    task.algebraic_class = "non-solvable";
    EXPECT_EQ(predict(task, ModelFamily::kAttention, 2).source,
              "docs/verdicts.md §7 (Merrill & Sabharwal 2023; Barrington 1989)");
}

TEST(Prediction, DisagreementFlags) {
    EXPECT_EQ(disagreement(Prediction::kCannot, Verdict::kGeneralises),
              "generalised where theory says impossible: the test lengths may be too short to "
              "expose finite precision");
    EXPECT_EQ(disagreement(Prediction::kCan, Verdict::kFitsOnly),
              "expressible, not learned in this budget");
    EXPECT_FALSE(disagreement(Prediction::kCan, Verdict::kUndertrained));
    EXPECT_FALSE(disagreement(Prediction::kCannot, Verdict::kUndertrained));
    EXPECT_FALSE(disagreement(Prediction::kCannot, Verdict::kFitsOnly));
    EXPECT_FALSE(disagreement(Prediction::kCan, Verdict::kGeneralises));
    EXPECT_FALSE(disagreement(Prediction::kOpen, Verdict::kGeneralises));
    EXPECT_FALSE(disagreement(Prediction::kOpen, Verdict::kFitsOnly));
    EXPECT_FALSE(disagreement(Prediction::kNotApplicable, Verdict::kSolvesInDistribution));
}

}  // namespace
}  // namespace statetrack::results
