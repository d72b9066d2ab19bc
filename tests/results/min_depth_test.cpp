// Minimum depth: fixture values (max and mean statistics, "none"), thresholds, missing depths.
#include "results/min_depth.h"

#include <gtest/gtest.h>

#include "results/results_store.h"
#include "results/results_test_support.h"

namespace statetrack::results {
namespace {

using testing_support::make_run;

const MinDepthAtLength& at(const std::vector<MinDepthRow>& rows, const std::string& task,
                           const std::string& model, int64_t length) {
    for (const MinDepthRow& r : rows) {
        if (r.task == task && r.model == model) {
            for (const MinDepthAtLength& a : r.lengths) {
                if (a.length == length) {
                    return a;
                }
            }
        }
    }
    throw std::runtime_error("no such entry");
}

std::vector<MinDepthRow> fixture_min_depth(double threshold) {
    const ResultsStore store = load_results_store(testing_support::fixture_sweep().string());
    return compute_min_depth(aggregate_groups(store.complete), threshold);
}

TEST(MinDepth, FixtureAtTheDefaultThreshold) {
    const auto rows = fixture_min_depth(kDefaultMinDepthThreshold);
    EXPECT_EQ(rows.size(), 9u);  // 3 tasks x 3 models, one width
    // A5 / rwkv7 at 128: L1 0.55; L2 seeds 0.95 and 0.93 -> max 0.95 reaches, mean 0.94 not.
    const auto& a5 = at(rows, "group:A5", "rwkv7", 128);
    EXPECT_EQ(a5.by_max, 2);
    EXPECT_FALSE(a5.by_mean);
    EXPECT_EQ(a5.depths_tried, (std::vector<int64_t>{1, 2}));
    EXPECT_FALSE(a5.in_distribution);
    // A5 / rwkv7 at 16 (ID): L1 0.96 and 0.94 -> max reaches at 1, mean (0.95) too.
    EXPECT_EQ(at(rows, "group:A5", "rwkv7", 16).by_max, 1);
    EXPECT_EQ(at(rows, "group:A5", "rwkv7", 16).by_mean, 1);
    // parity / transformer at 16: L1 0.92, L2 1.0.
    EXPECT_EQ(at(rows, "parity", "transformer", 16).by_max, 2);
    EXPECT_FALSE(at(rows, "parity", "transformer", 64).by_max);
    EXPECT_FALSE(at(rows, "group:A5", "mamba", 8).by_max);
}

TEST(MinDepth, LowerThresholdNeedsFewerLayers) {
    const auto rows = fixture_min_depth(0.9);
    // A5 / rwkv7 at 32: L1 seeds 0.90, 0.88 -> max 0.90 reaches 0.9 at L1; mean 0.89 needs L2.
    const auto& a = at(rows, "group:A5", "rwkv7", 32);
    EXPECT_EQ(a.by_max, 1);
    EXPECT_EQ(a.by_mean, 2);
    EXPECT_EQ(at(rows, "group:A5", "transformer", 8).by_max, std::nullopt);
}

TEST(MinDepth, DepthsMissingAtALengthAreSkipped) {
    // Depth 1 was evaluated at length 5 only; depth 3 at 5 and 50.
    const std::vector<RunResult> runs = {make_run("t", "m", 1, 0.1, 1, {{5, 0.5}}),
                                         make_run("t", "m", 3, 0.1, 1, {{5, 1.0}, {50, 0.97}})};
    const auto rows = compute_min_depth(aggregate_groups(runs), 0.95);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].lengths[0].depths_tried, (std::vector<int64_t>{1, 3}));
    EXPECT_EQ(rows[0].lengths[0].by_max, 3);
    EXPECT_EQ(rows[0].lengths[1].depths_tried, (std::vector<int64_t>{3}));
    EXPECT_EQ(rows[0].lengths[1].by_max, 3);
}

TEST(MinDepth, WidthsAreSeparateRowsAndThresholdIsChecked) {
    RunResult wide = make_run("t", "m", 1, 0.1, 1, {{5, 1.0}});
    wide.labels.d_model = 128;
    const std::vector<RunResult> runs = {make_run("t", "m", 2, 0.1, 1, {{5, 1.0}}), wide};
    const auto rows = compute_min_depth(aggregate_groups(runs), 0.95);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].d_model, 16);
    EXPECT_EQ(rows[0].lengths[0].by_max, 2);
    EXPECT_EQ(rows[1].d_model, 128);
    EXPECT_EQ(rows[1].lengths[0].by_max, 1);
    EXPECT_THROW(compute_min_depth({}, 0.0), std::invalid_argument);
    EXPECT_THROW(compute_min_depth({}, 1.5), std::invalid_argument);
}

}  // namespace
}  // namespace statetrack::results
