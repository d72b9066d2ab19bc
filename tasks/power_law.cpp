// Portable log/exp and weighted sampling without replacement. See power_law.h.
#include "tasks/power_law.h"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

namespace statetrack::tasks {

namespace {

constexpr double kLn2 = 0.69314718055994530942;
// ln 2 split so that k * kLn2Hi is exact for |k| < 2^11 (Cody-Waite range reduction).
constexpr double kLn2Hi = 6.93147180369123816490e-01;
constexpr double kLn2Lo = 1.90821492927058770002e-10;
constexpr double kSqrtHalf = 0.70710678118654752440;

}  // namespace

double portable_log(double x) {
    if (!(x > 0.0) || !std::isfinite(x)) {
        throw std::invalid_argument(fmt::format("portable_log: {} is not positive and finite", x));
    }
    int e = 0;
    double f = std::frexp(x, &e);  // exact: x = f * 2^e, f in [0.5, 1)
    if (f < kSqrtHalf) {
        f *= 2.0;
        --e;
    }
    // ln f = 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...), |s| <= 0.172 so 12 terms reach 1e-18.
    const double s = (f - 1.0) / (f + 1.0);
    const double s2 = s * s;
    double sum = 0.0;
    for (int k = 23; k >= 1; k -= 2) {
        sum = sum * s2 + 1.0 / k;
    }
    return static_cast<double>(e) * kLn2 + 2.0 * s * sum;
}

double portable_exp(double x) {
    if (!(std::fabs(x) < 700.0)) {
        throw std::invalid_argument(fmt::format("portable_exp: {} is outside (-700, 700)", x));
    }
    const double k = std::floor(x / kLn2 + 0.5);     // floor is exact
    const double r = (x - k * kLn2Hi) - k * kLn2Lo;  // |r| <= 0.35
    double sum = 1.0;
    for (int i = 20; i >= 1; --i) {
        sum = 1.0 + sum * r / i;
    }
    return std::ldexp(sum, static_cast<int>(k));  // exact scaling by 2^k
}

std::vector<double> power_law_weights(int64_t n, double alpha) {
    std::vector<double> w(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
        w[static_cast<size_t>(i)] = portable_exp((alpha - 1.0) * portable_log(double(i + 1)));
    }
    return w;
}

std::vector<int64_t> sample_without_replacement(const std::vector<double>& weights, int64_t count,
                                                automata::Rng& rng) {
    std::vector<double> left = weights;
    std::vector<int64_t> drawn;
    drawn.reserve(static_cast<size_t>(count));
    for (int64_t d = 0; d < count; ++d) {
        double total = 0.0;
        for (double w : left) {
            total += w;
        }
        if (!(total > 0.0)) {
            throw std::invalid_argument(fmt::format(
                "sample_without_replacement: only {} of {} draws have positive weight", d, count));
        }
        const double u = automata::uniform_unit(rng) * total;
        double cumulative = 0.0;
        size_t pick = left.size();
        for (size_t i = 0; i < left.size(); ++i) {
            if (left[i] > 0.0) {
                pick = i;  // the last positive index absorbs rounding at the top end
                cumulative += left[i];
                if (u < cumulative) {
                    break;
                }
            }
        }
        left[pick] = 0.0;
        drawn.push_back(static_cast<int64_t>(pick));
    }
    return drawn;
}

}  // namespace statetrack::tasks
