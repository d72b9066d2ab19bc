// Portable log/exp against libm (accuracy only: libm is what they replace for determinism), and
// sampling without replacement against its definition.
#include "tasks/power_law.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "task_test_util.h"

namespace statetrack::tasks {
namespace {

TEST(PowerLaw, PortableLogAndExpAreAccurate) {
    for (double x :
         {1e-300, 1e-5, 0.1, 0.5, 0.7071, 0.99, 1.0, 1.5, 2.0, 3.0, 10.0, 12345.678, 1e6, 1e300}) {
        EXPECT_NEAR(portable_log(x), std::log(x), 1e-15 * std::max(1.0, std::fabs(std::log(x))))
            << x;
    }
    for (double x : {-700.0 + 1e-9, -50.0, -1.0, -0.3, 0.0, 0.2, 1.0, 7.5, 100.0, 699.0}) {
        EXPECT_NEAR(portable_exp(x) / std::exp(x), 1.0, 1e-14) << x;
    }
    EXPECT_THROW(portable_log(0.0), std::invalid_argument);
    EXPECT_THROW(portable_log(-1.0), std::invalid_argument);
    EXPECT_THROW(portable_exp(800.0), std::invalid_argument);
}

TEST(PowerLaw, WeightsAreThePowerLaw) {
    const std::vector<double> w = power_law_weights(100, 0.01);
    ASSERT_EQ(w.size(), 100u);
    for (size_t i = 0; i < w.size(); ++i) {
        EXPECT_NEAR(w[i], std::pow(double(i + 1), 0.01 - 1.0), 1e-14) << i;
    }
}

TEST(PowerLaw, SamplesWithoutReplacementInProportion) {
    // Weights 1:2:3:4; the first draw is proportional, and all draws are distinct.
    const std::vector<double> w = {1, 2, 3, 4};
    automata::Rng rng(51);
    std::vector<int64_t> first(4, 0);
    const int n = 20000;
    for (int rep = 0; rep < n; ++rep) {
        const std::vector<int64_t> d = sample_without_replacement(w, 3, rng);
        ASSERT_EQ(std::set<int64_t>(d.begin(), d.end()).size(), 3u);
        ++first[static_cast<size_t>(d[0])];
    }
    double stat = 0.0;
    for (size_t i = 0; i < 4; ++i) {
        const double e = n * w[i] / 10.0;
        stat += (first[i] - e) * (first[i] - e) / e;
    }
    EXPECT_LT(stat, testing::chi_square_limit(3));
    // Drawing all four leaves none out; a fifth draw is impossible.
    EXPECT_EQ(sample_without_replacement(w, 4, rng).size(), 4u);
    EXPECT_THROW(sample_without_replacement(w, 5, rng), std::invalid_argument);
    EXPECT_THROW(sample_without_replacement({1.0, 0.0}, 2, rng), std::invalid_argument);
}

}  // namespace
}  // namespace statetrack::tasks
