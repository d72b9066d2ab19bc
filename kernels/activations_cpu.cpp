// The activations' loops (see activations_cpu.h). Built with -fno-trapping-math
// (kernels/CMakeLists.txt) so that the maxima, GELU's sign select and exp_approx's clamp are
// vectorised compare-and-selects; built once per instruction set (core/target_clones.h).
#include "kernels/activations_cpu.h"

#include <algorithm>
#include <cmath>

#include "core/target_clones.h"
#include "kernels/exp_approx.h"

namespace statetrack::kernels {
namespace {

constexpr double kInvSqrt2 = 0.70710678118654752440;
constexpr double kInvSqrt2Pi = 0.39894228040143267794;

// Φ(x) = ½·erfc(−x/√2).
inline double normal_cdf(double x) { return 0.5 * std::erfc(-x * kInvSqrt2); }

inline float normal_cdf(float x) {
    const float z = std::fabs(x) * static_cast<float>(kInvSqrt2);
    const float t = 1.0f / (1.0f + 0.5f * z);
    const float p =
        -1.26551223f +
        t * (1.00002368f +
             t * (0.37409196f +
                  t * (0.09678418f +
                       t * (-0.18628806f +
                            t * (0.27886807f + t * (-1.13520398f +
                                                    t * (1.48851587f + t * (-0.82215223f +
                                                                            t * 0.17087277f))))))));
    const float half_erfc = 0.5f * t * exp_of(p - z * z);  // ½·erfc(|x|/√2) = Φ(−|x|)
    return x >= 0.0f ? 1.0f - half_erfc : half_erfc;
}

template <typename T>
T normal_pdf(T x) {
    return static_cast<T>(kInvSqrt2Pi) * exp_of(T(-0.5) * x * x);
}

// log(1 + u) for u in [0, 1].
inline double log1p_unit(double u) { return std::log1p(u); }

inline float log1p_unit(float u) {
    const float s = u / (2.0f + u);
    const float s2 = s * s;
    // 2·atanh(s) = 2·(s + s³/3 + s⁵/5 + … + s¹³/13), Horner in s².
    const float p =
        1.0f +
        s2 * (1.0f / 3 +
              s2 * (1.0f / 5 + s2 * (1.0f / 7 + s2 * (1.0f / 9 + s2 * (1.0f / 11 + s2 / 13)))));
    return 2.0f * s * p;
}

}  // namespace

template <typename T>
STATETRACK_TARGET_CLONES void gelu_forward_cpu(const T* x, T* y, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
        y[i] = x[i] * normal_cdf(x[i]);
    }
}

template <typename T>
STATETRACK_TARGET_CLONES void gelu_with_derivative_cpu(const T* x, T* y, T* d, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
        const T cdf = normal_cdf(x[i]);
        y[i] = x[i] * cdf;
        d[i] = cdf + x[i] * normal_pdf(x[i]);
    }
}

template <typename T>
STATETRACK_TARGET_CLONES void silu_forward_cpu(const T* x, T* y, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
        y[i] = x[i] * sigmoid(x[i]);
    }
}

template <typename T>
STATETRACK_TARGET_CLONES void silu_with_derivative_cpu(const T* x, T* y, T* d, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
        const T s = sigmoid(x[i]);
        y[i] = x[i] * s;
        d[i] = s * (T(1) + x[i] * (T(1) - s));
    }
}

template <typename T>
STATETRACK_TARGET_CLONES void silu_gate_forward_cpu(const T* y, const T* z, T* out, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
        out[i] = y[i] * (z[i] * sigmoid(z[i]));
    }
}

template <typename T>
STATETRACK_TARGET_CLONES void silu_gate_backward_cpu(const T* y, const T* z, const T* g, T* dy,
                                                     T* dz, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
        const T s = sigmoid(z[i]);
        dy[i] = g[i] * (z[i] * s);
        dz[i] = g[i] * y[i] * (s * (T(1) + z[i] * (T(1) - s)));
    }
}

template <typename T>
STATETRACK_TARGET_CLONES void softplus_forward_cpu(const T* x, T* y, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
        y[i] = std::max(x[i], T(0)) + log1p_unit(exp_of(-std::abs(x[i])));
    }
}

template <typename T>
STATETRACK_TARGET_CLONES void softplus_with_derivative_cpu(const T* x, T* y, T* d, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
        const T e = exp_of(-std::abs(x[i]));
        y[i] = std::max(x[i], T(0)) + log1p_unit(e);
        d[i] = sigmoid(x[i]);
    }
}

template void gelu_forward_cpu<float>(const float*, float*, int64_t);
template void gelu_forward_cpu<double>(const double*, double*, int64_t);
template void gelu_with_derivative_cpu<float>(const float*, float*, float*, int64_t);
template void gelu_with_derivative_cpu<double>(const double*, double*, double*, int64_t);
template void silu_forward_cpu<float>(const float*, float*, int64_t);
template void silu_forward_cpu<double>(const double*, double*, int64_t);
template void silu_with_derivative_cpu<float>(const float*, float*, float*, int64_t);
template void silu_with_derivative_cpu<double>(const double*, double*, double*, int64_t);
template void silu_gate_forward_cpu<float>(const float*, const float*, float*, int64_t);
template void silu_gate_forward_cpu<double>(const double*, const double*, double*, int64_t);
template void silu_gate_backward_cpu<float>(const float*, const float*, const float*, float*,
                                            float*, int64_t);
template void silu_gate_backward_cpu<double>(const double*, const double*, const double*, double*,
                                             double*, int64_t);
template void softplus_forward_cpu<float>(const float*, float*, int64_t);
template void softplus_forward_cpu<double>(const double*, double*, int64_t);
template void softplus_with_derivative_cpu<float>(const float*, float*, float*, int64_t);
template void softplus_with_derivative_cpu<double>(const double*, double*, double*, int64_t);

}  // namespace statetrack::kernels
