// Student t distribution: the CDF and the quantile, for 95% confidence intervals over seeds.
// Computed through the regularized incomplete beta function (continued fraction), accurate to
// ~1e-10; no tables, so any number of degrees of freedom works.
#pragma once

#include <cstdint>

namespace statetrack::results {

// Regularized incomplete beta I_x(a, b), a, b > 0, x in [0, 1].
double regularized_incomplete_beta(double x, double a, double b);

// P(T <= t) for T ~ Student t with `dof` > 0 degrees of freedom.
double student_t_cdf(double t, double dof);

// The t with P(T <= t) = p, for p in (0, 1).
double student_t_quantile(double p, double dof);

}  // namespace statetrack::results
