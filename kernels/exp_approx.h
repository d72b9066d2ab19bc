// exp_of(x), sigmoid(x): e^x and 1/(1+e^-x), through exp_approx for float and std::exp for double.
// exp_approx(x): e^x for float to about 2 ulp in plain arithmetic, with no calls and no branches,
// so that loops calling it vectorise (a std::exp per element, one library call each, cost more
// than all the rest of the loops that use it: model/rwkv7_wkv_operands_loops.inc,
// kernels/lstm_cell_cpu_loops.inc). x = n·ln2 + r with |r| <= ln2/2, e^r by its Taylor series to
// r⁷ (truncation < 5e-9 relative), 2^n through the exponent bits. Inputs are clamped to
// [-87, 88], so results below e^-87 ≈ 1.6e-38 read as that instead of smaller, and above e^88
// as e^88 instead of infinity.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace statetrack::kernels {

inline float exp_approx(float x) {
    x = std::min(std::max(x, -87.0f), 88.0f);
    constexpr float kRound = 12582912.0f;  // 1.5·2²³: adding it rounds to an integer
    const float n = (x * 1.44269504f + kRound) - kRound;
    const float r = (x - n * 0.693145752f) - n * 1.42860677e-6f;  // ln2 in two parts
    // Horner written out: a loop here would keep the callers' loops from vectorising.
    const float p =
        ((((((r * (1.0f / 5040) + 1.0f / 720) * r + 1.0f / 120) * r + 1.0f / 24) * r + 1.0f / 6) *
              r +
          0.5f) *
             r +
         1.0f) *
            r +
        1.0f;
    const int32_t bits = (static_cast<int32_t>(n) + 127) << 23;
    float scale;
    std::memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

inline float exp_of(float x) { return exp_approx(x); }
inline double exp_of(double x) { return std::exp(x); }

template <typename T>
T sigmoid(T x) {
    return T(1) / (T(1) + exp_of(-x));
}

}  // namespace statetrack::kernels
