// Student t quantiles against published table values and closed forms.
#include "results/student_t.h"

#include <gtest/gtest.h>

#include <cmath>

namespace statetrack::results {
namespace {

TEST(StudentT, QuantilesMatchTables) {
    // Two-sided 95% critical values t_{0.975, dof} (standard t tables, 4 decimals).
    const std::pair<double, double> table[] = {{1, 12.7062}, {2, 4.3027},  {3, 3.1824},
                                               {4, 2.7764},  {5, 2.5706},  {9, 2.2622},
                                               {10, 2.2281}, {30, 2.0423}, {120, 1.9799}};
    for (const auto& [dof, t] : table) {
        EXPECT_NEAR(student_t_quantile(0.975, dof), t, 6e-5) << "dof " << dof;
    }
    EXPECT_NEAR(student_t_quantile(0.95, 4), 2.1318, 6e-5);
    EXPECT_NEAR(student_t_quantile(0.995, 9), 3.2498, 6e-5);
    EXPECT_NEAR(student_t_quantile(0.975, 1e6), 1.959964, 1e-5);  // the normal limit
}

TEST(StudentT, CdfMatchesClosedFormsForOneAndTwoDof) {
    const double pi = std::acos(-1.0);
    for (const double t : {-30.0, -2.5, -0.3, 0.0, 0.7, 4.0, 100.0}) {
        EXPECT_NEAR(student_t_cdf(t, 1), 0.5 + std::atan(t) / pi, 1e-12) << t;  // Cauchy
        EXPECT_NEAR(student_t_cdf(t, 2), 0.5 + t / (2.0 * std::sqrt(2.0 + t * t)), 1e-12) << t;
    }
}

TEST(StudentT, QuantileInvertsTheCdfAndIsSymmetric) {
    for (const double dof : {1.0, 3.0, 7.5, 50.0}) {
        for (const double p : {0.01, 0.3, 0.5, 0.9, 0.999}) {
            const double t = student_t_quantile(p, dof);
            EXPECT_NEAR(student_t_cdf(t, dof), p, 1e-10);
            EXPECT_NEAR(student_t_quantile(1.0 - p, dof), -t, 1e-9 * (1.0 + std::fabs(t)));
        }
    }
    EXPECT_THROW(student_t_quantile(1.0, 3), std::invalid_argument);
    EXPECT_THROW(student_t_cdf(1.0, 0), std::invalid_argument);
}

TEST(StudentT, IncompleteBetaKnownValues) {
    EXPECT_NEAR(regularized_incomplete_beta(0.3, 1, 1), 0.3, 1e-14);     // uniform
    EXPECT_NEAR(regularized_incomplete_beta(0.5, 2, 2), 0.5, 1e-14);     // symmetric
    EXPECT_NEAR(regularized_incomplete_beta(0.2, 2, 3), 0.1808, 1e-12);  // 6x^2 - 8x^3 + 3x^4
    EXPECT_DOUBLE_EQ(regularized_incomplete_beta(0.0, 2, 3), 0.0);
    EXPECT_DOUBLE_EQ(regularized_incomplete_beta(1.0, 2, 3), 1.0);
}

}  // namespace
}  // namespace statetrack::results
