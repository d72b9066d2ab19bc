// Power-law weighted sampling without replacement (MQAR's query gaps), bit-identical everywhere.
// std::pow/exp/log may differ in the last bit between libm implementations, and one flipped
// comparison changes a whole dataset, so the weights are computed with portable_log/portable_exp:
// series built from + - * / only, which IEEE-754 rounds identically on every machine (the
// project compiles with -std=c++17, where GCC does not contract a*b+c into FMA).
#pragma once

#include <cstdint>
#include <vector>

#include "automata/random.h"

namespace statetrack::tasks {

// Natural logarithm, x > 0 and finite; relative error about 1e-16.
double portable_log(double x);
// e^x for |x| < 700; relative error about 1e-15.
double portable_exp(double x);

// w[i] = (i + 1)^(alpha - 1) for i in [0, n): Zoology's p(i) before normalisation.
std::vector<double> power_law_weights(int64_t n, double alpha);

// `count` distinct indices drawn one after another, each with probability proportional to the
// weights of the indices not drawn yet (what numpy's choice(replace=False, p=w) is used for in
// Zoology; the numbers differ, the distribution is the same). Returned in draw order.
// Requires count <= number of positive weights.
std::vector<int64_t> sample_without_replacement(const std::vector<double>& weights, int64_t count,
                                                automata::Rng& rng);

}  // namespace statetrack::tasks
