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

// Φ(x) = ½·erfc(−x/√2) and φ(x) = e^{−x²/2}/√(2π), together.
template <typename T>
struct CdfPdf {
    T cdf, pdf;
};

inline CdfPdf<double> normal_cdf_pdf(double x) {
    return {0.5 * std::erfc(-x * kInvSqrt2), kInvSqrt2Pi * std::exp(-0.5 * x * x)};
}

// One exp for both: with z = |x|/√2 and t = 1/(1 + z/2), erfc(z) = t·e^{−z²}·Q(t), and
// e^{−z²} = e^{−x²/2} is √(2π)·φ(x). Q(t) = erfc(z)·e^{z²}/t is smooth on (0, 1]; here a
// degree-9 polynomial in s = 2.4·t − 1.4 (t in [1/6, 1], |x| ≤ 14.1, mapped to [−1, 1]), its
// Chebyshev interpolant at 40 nodes of the float64 function truncated (relative error 3.5e-8;
// Numerical Recipes' erfcc, exp(P(t)) with a second exp, had 1.2e-7). Below t = 1/6 the
// polynomial holds its end value: there Φ(x) < 1e-44, beneath float's smallest normal anyway.
inline CdfPdf<float> normal_cdf_pdf(float x) {
    const float z = std::fabs(x) * static_cast<float>(kInvSqrt2);
    const float t = 1.0f / (1.0f + 0.5f * z);
    const float s = std::max(2.4f * t - 1.4f, -1.0f);
    const float q =
        5.720119858e-01f +
        s * (3.262224979e-01f +
             s * (1.020292816e-01f +
                  s * (5.962857983e-03f +
                       s * (-6.150105081e-03f +
                            s * (-6.198014333e-04f +
                                 s * (5.847864653e-04f +
                                      s * (4.876305093e-06f +
                                           s * (-5.298030995e-05f + s * 6.592941398e-06f))))))));
    const float e = exp_of(-z * z);
    const float half_erfc = 0.5f * t * e * q;  // ½·erfc(|x|/√2) = Φ(−|x|)
    return {x >= 0.0f ? 1.0f - half_erfc : half_erfc, static_cast<float>(kInvSqrt2Pi) * e};
}

// log(1 + u) and 1/(1 + u) for u = e^{−|x|} in (0, 1]: softplus's tail and, with u, its
// derivative σ(x) (1/(1 + u) for x ≥ 0, u/(1 + u) below).
template <typename T>
struct Log1pInv {
    T log1p, inv;
};

inline Log1pInv<double> log1p_inv(double u) { return {std::log1p(u), 1.0 / (1.0 + u)}; }

// One division for both: q = 1/((1 + u)(2 + u)) gives 1/(1 + u) = (2 + u)·q and the series
// argument s = u/(2 + u) = u·(1 + u)·q (a division each, and σ's own exp, had made softplus the
// costliest activation of a Mamba step).
inline Log1pInv<float> log1p_inv(float u) {
    const float q = 1.0f / ((1.0f + u) * (2.0f + u));
    const float s = u * (1.0f + u) * q;
    const float s2 = s * s;
    // log(1 + u) = 2·atanh(s) = 2·(s + s³/3 + s⁵/5 + … + s¹³/13), Horner in s².
    const float p =
        1.0f +
        s2 * (1.0f / 3 +
              s2 * (1.0f / 5 + s2 * (1.0f / 7 + s2 * (1.0f / 9 + s2 * (1.0f / 11 + s2 / 13)))));
    return {2.0f * s * p, (2.0f + u) * q};
}

}  // namespace

template <typename T>
STATETRACK_TARGET_CLONES void gelu_forward_cpu(const T* x, T* y, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
        y[i] = x[i] * normal_cdf_pdf(x[i]).cdf;
    }
}

template <typename T>
STATETRACK_TARGET_CLONES void gelu_with_derivative_cpu(const T* x, T* y, T* d, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
        const CdfPdf<T> n = normal_cdf_pdf(x[i]);
        y[i] = x[i] * n.cdf;
        d[i] = n.cdf + x[i] * n.pdf;
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
        y[i] = std::max(x[i], T(0)) + log1p_inv(exp_of(-std::abs(x[i]))).log1p;
    }
}

template <typename T>
STATETRACK_TARGET_CLONES void softplus_with_derivative_cpu(const T* x, T* y, T* d, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
        const T e = exp_of(-std::abs(x[i]));
        const Log1pInv<T> l = log1p_inv(e);
        y[i] = std::max(x[i], T(0)) + l.log1p;
        d[i] = x[i] >= T(0) ? l.inv : e * l.inv;
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
