// Student t CDF and quantile (see student_t.h).
#include "results/student_t.h"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

namespace statetrack::results {
namespace {

// Continued fraction for I_x(a, b) (modified Lentz), valid and fast for x < (a + 1) / (a + b + 2).
double beta_continued_fraction(double x, double a, double b) {
    constexpr double kTiny = 1e-300;
    constexpr double kEps = 1e-15;
    double c = 1.0;
    double d = 1.0 - (a + b) * x / (a + 1.0);
    d = 1.0 / (std::fabs(d) < kTiny ? kTiny : d);
    double f = d;
    for (int m = 1; m <= 1000; ++m) {
        // Even step d_{2m}, then odd step d_{2m+1} of the continued fraction.
        for (int odd = 0; odd < 2; ++odd) {
            const double coefficient =
                odd == 0 ? m * (b - m) * x / ((a + 2.0 * m - 1.0) * (a + 2.0 * m))
                         : -(a + m) * (a + b + m) * x / ((a + 2.0 * m) * (a + 2.0 * m + 1.0));
            d = 1.0 + coefficient * d;
            d = 1.0 / (std::fabs(d) < kTiny ? kTiny : d);
            c = 1.0 + coefficient / c;
            c = std::fabs(c) < kTiny ? kTiny : c;
            const double delta = c * d;
            f *= delta;
            if (odd == 1 && std::fabs(delta - 1.0) < kEps) {
                return f;
            }
        }
    }
    return f;
}

}  // namespace

double regularized_incomplete_beta(double x, double a, double b) {
    if (!(a > 0.0 && b > 0.0 && x >= 0.0 && x <= 1.0)) {
        throw std::invalid_argument(fmt::format(
            "incomplete beta: need a, b > 0 and x in [0, 1], got x={} a={} b={}", x, a, b));
    }
    if (x == 0.0 || x == 1.0) {
        return x;
    }
    const double log_front =
        std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
    const double front = std::exp(log_front);
    // Use the symmetry I_x(a, b) = 1 - I_{1-x}(b, a) where the fraction converges slowly.
    if (x < (a + 1.0) / (a + b + 2.0)) {
        return front * beta_continued_fraction(x, a, b) / a;
    }
    return 1.0 - front * beta_continued_fraction(1.0 - x, b, a) / b;
}

double student_t_cdf(double t, double dof) {
    if (!(dof > 0.0)) {
        throw std::invalid_argument(fmt::format("student t: dof {} is not positive", dof));
    }
    // P(|T| > |t|) = I_{dof / (dof + t^2)}(dof / 2, 1 / 2).
    const double tail = 0.5 * regularized_incomplete_beta(dof / (dof + t * t), 0.5 * dof, 0.5);
    return t >= 0.0 ? 1.0 - tail : tail;
}

double student_t_quantile(double p, double dof) {
    if (!(p > 0.0 && p < 1.0)) {
        throw std::invalid_argument(fmt::format("student t quantile: p {} is not in (0, 1)", p));
    }
    if (p < 0.5) {
        return -student_t_quantile(1.0 - p, dof);
    }
    // Bracket, then bisect: the CDF is monotone, and 200 halvings reach double precision.
    double lo = 0.0;
    double hi = 1.0;
    while (student_t_cdf(hi, dof) < p) {
        lo = hi;
        hi *= 2.0;
    }
    for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; ++i) {
        const double mid = 0.5 * (lo + hi);
        (student_t_cdf(mid, dof) < p ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
}

}  // namespace statetrack::results
