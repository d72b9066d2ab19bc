// MQAR: every target re-found by looking its key up in the context, the layout and filler
// rules of mqar_task.h, the power-law gap distribution, and parameter errors.
#include "tasks/mqar_task.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "task_test_util.h"
#include "tasks/power_law.h"
#include "tasks/task_catalogue.h"

namespace statetrack::tasks {
namespace {

using automata::Rng;

struct Layout {
    std::map<int32_t, int32_t> context;  // key -> value, from positions 0..2D-1
    std::vector<size_t> queries;         // positions with a target
};

Layout layout_of(const Example& ex, int64_t pairs) {
    Layout l;
    for (int64_t j = 0; j < pairs; ++j) {
        l.context[ex.tokens[2 * j]] = ex.tokens[2 * j + 1];
    }
    for (size_t t = 0; t < ex.tokens.size(); ++t) {
        if (ex.loss_mask[t]) {
            l.queries.push_back(t);
        }
    }
    return l;
}

TEST(Mqar, TargetsAreTheContextValuesOfTheQueriedKeys) {
    const auto task = make_task("mqar:vocab=8192,len=64,pairs=4");
    EXPECT_EQ(task->name(), "mqar:vocab=8192,pairs=4,len=64,alpha=0.01,fill=zero");
    EXPECT_DOUBLE_EQ(task->chance_level(), 1.0 / 4096);
    Rng rng(41);
    for (int rep = 0; rep < 200; ++rep) {
        const Example ex = task->sample(64, rng);
        ASSERT_TRUE(testing::example_ok(*task, ex, 64));
        const Layout l = layout_of(ex, 4);
        ASSERT_EQ(l.context.size(), 4u) << "keys are distinct";
        std::set<int32_t> values, queried;
        for (const auto& [key, value] : l.context) {
            EXPECT_GE(key, 1);
            EXPECT_LT(key, 4096);
            EXPECT_GE(value, 4096);
            EXPECT_LT(value, 8192);
            values.insert(value);
        }
        EXPECT_EQ(values.size(), 4u) << "values are distinct";
        ASSERT_EQ(l.queries.size(), 4u);
        for (size_t p : l.queries) {
            EXPECT_GE(p, 8u);
            EXPECT_EQ((p - 8) % 2, 0u);
            const auto it = l.context.find(ex.tokens[p]);
            ASSERT_NE(it, l.context.end()) << "query " << ex.tokens[p] << " not in context";
            EXPECT_EQ(ex.targets[p], it->second);
            // As Zoology: the value is only a target, never restated after the query key.
            EXPECT_NE(ex.tokens[p + 1], it->second);
            queried.insert(ex.tokens[p]);
        }
        EXPECT_EQ(queried.size(), 4u) << "every key queried once";
        for (size_t t = 8; t < ex.tokens.size(); ++t) {
            if (!ex.loss_mask[t]) {
                EXPECT_EQ(ex.tokens[t], 0) << "zero filler at " << t;
            }
        }
    }
}

TEST(Mqar, RandomFillersNeverCollideWithKeysOrValues) {
    const auto task = make_task("mqar:vocab=32,pairs=6,fill=random");
    Rng rng(42);
    int64_t fillers = 0;
    for (int rep = 0; rep < 300; ++rep) {
        const Example ex = task->sample(40, rng);
        ASSERT_TRUE(testing::example_ok(*task, ex, 40));
        const Layout l = layout_of(ex, 6);
        std::set<int32_t> used;
        for (const auto& [key, value] : l.context) {
            used.insert(key);
            used.insert(value);
        }
        for (size_t t = 12; t < ex.tokens.size(); ++t) {
            if (!ex.loss_mask[t] && !ex.loss_mask[t - 1]) {
                EXPECT_EQ(used.count(ex.tokens[t]), 0u) << "filler " << ex.tokens[t];
                EXPECT_NE(ex.tokens[t], 0);
                ++fillers;
            }
        }
    }
    EXPECT_GT(fillers, 1000);
}

TEST(Mqar, FirstGapFollowsThePowerLaw) {
    // The first key's gap is the first draw, so P(gap = g) is exactly w_g / sum w.
    const int64_t length = 40, pairs = 2, slots = (length - 2 * pairs) / 2;
    const auto task = make_task("mqar:vocab=64,pairs=2,alpha=0.3");
    const std::vector<double> w = power_law_weights(slots, 0.3);
    double total = 0.0;
    for (double x : w) {
        total += x;
    }
    Rng rng(43);
    std::vector<int64_t> counts(static_cast<size_t>(slots), 0);
    const int draws = 20000;
    for (int rep = 0; rep < draws; ++rep) {
        const Example ex = task->sample(length, rng);
        for (size_t p = 4; p < ex.tokens.size(); ++p) {
            if (ex.loss_mask[p] && ex.tokens[p] == ex.tokens[0]) {
                ++counts[(p - 4) / 2];
            }
        }
    }
    double stat = 0.0;
    for (size_t g = 0; g < counts.size(); ++g) {
        const double e = draws * w[g] / total;
        stat += (static_cast<double>(counts[g]) - e) * (static_cast<double>(counts[g]) - e) / e;
    }
    EXPECT_LT(stat, testing::chi_square_limit(static_cast<double>(slots - 1)));
    EXPECT_GT(counts[0], counts[slots - 1] * 3);  // short gaps dominate
}

TEST(Mqar, LengthRules) {
    const auto fixed = make_task("mqar:len=64");
    EXPECT_TRUE(fixed->valid_length(64));
    EXPECT_FALSE(fixed->valid_length(128));
    const auto free = make_task("mqar:pairs=8");
    EXPECT_FALSE(free->valid_length(31));
    EXPECT_TRUE(free->valid_length(32));
    EXPECT_TRUE(free->valid_length(33));  // odd lengths leave one filler at the end
    Rng rng(44);
    EXPECT_TRUE(testing::example_ok(*free, free->sample(33, rng), 33));
}

TEST(Mqar, ParameterErrors) {
    EXPECT_EQ(testing::task_error("mqar:vocab=8,pairs=4"),
              "mqar: vocab=8 has 3 keys and 4 values, fewer than pairs=4 "
              "(mqar:vocab=8,pairs=4,alpha=0.01,fill=zero)");
    EXPECT_EQ(testing::task_error("mqar:len=12,pairs=4"),
              "mqar: len=12 is shorter than 4 * pairs = 16 (mqar:vocab=8192,pairs=4,len=12,"
              "alpha=0.01,fill=zero)");
    EXPECT_EQ(testing::task_error("mqar:alpha=0"),
              "mqar: alpha=0 must be in (0, 100] (mqar:vocab=8192,pairs=4,alpha=0,fill=zero)");
    EXPECT_EQ(testing::task_error("mqar:fill=noise"),
              "task spec 'mqar:fill=noise': fill=noise is not one of: zero, random");
    EXPECT_EQ(testing::task_error("mqar:keys=4"),
              "task spec 'mqar:keys=4': unknown parameter 'keys' (valid: vocab, pairs, len, "
              "alpha, fill)");
    EXPECT_EQ(testing::task_error("mqar:pairs=x"),
              "task spec 'mqar:pairs=x': pairs=x is not an integer");
    EXPECT_THROW(make_task("mqar", Formulation::kStateTagging), std::invalid_argument);
    EXPECT_FALSE(make_task("mqar")->algebra_dfa().has_value());
}

}  // namespace
}  // namespace statetrack::tasks
