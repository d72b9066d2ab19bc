// Normalising one row segment of n contiguous values, forward and backward: the loops shared by
// layer_norm_cpu (one segment per row) and the RWKV-7 readout's group norm (one per head).
// Torch-free, header-only. With x̂ = (x − mean)·rstd, rstd = 1/sqrt(var + eps) (biased variance,
// two passes), out = x̂ ⊙ weight + bias; given dout, the backward adds dout ⊙ x̂ and dout into the
// weight and bias sums and writes dx = rstd·(g − (Σg + x̂·Σ g x̂)/n), g = dout ⊙ weight.
// Sums run as eight partial sums, which GCC turns into vector adds (one accumulator would be a
// serial chain of adds, about four times slower at n = 32); the elementwise loops carry
// `ivdep` because GCC ignores restrict on local pointers and would otherwise need more alias
// checks than it allows, and leave them scalar. Segments never overlap their outputs.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace statetrack::kernels {

template <typename T, typename F>
inline T sum_of(int64_t n, const F& f) {
    T acc[8] = {};
    int64_t c = 0;
    for (; c + 8 <= n; c += 8) {
        for (int l = 0; l < 8; ++l) {
            acc[l] += f(c + l);
        }
    }
    for (; c < n; ++c) {
        acc[0] += f(c);
    }
    return ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
}

template <typename T>
struct NormStats {
    T mean, rstd;
};

template <typename T>
inline NormStats<T> norm_forward_row(const T* x, int64_t n, double eps, const T* w, const T* b,
                                     T* out) {
    const T mean = sum_of<T>(n, [&](int64_t c) { return x[c]; }) / T(n);
    const T var = sum_of<T>(n, [&](int64_t c) { return (x[c] - mean) * (x[c] - mean); }) / T(n);
    const T rstd = T(1) / std::sqrt(var + static_cast<T>(eps));
#pragma GCC ivdep
    for (int64_t c = 0; c < n; ++c) {
        out[c] = (x[c] - mean) * rstd * w[c] + b[c];
    }
    return {mean, rstd};
}

// dw, db: running sums (added to); dx: written.
template <typename T>
inline void norm_backward_row(const T* x, const T* dout, int64_t n, NormStats<T> s, const T* w,
                              T* dx, T* dw, T* db) {
    const T sum_g = sum_of<T>(n, [&](int64_t c) { return dout[c] * w[c]; });
    const T sum_gx =
        sum_of<T>(n, [&](int64_t c) { return dout[c] * w[c] * (x[c] - s.mean) * s.rstd; });
    const T inv_n = T(1) / T(n);
#pragma GCC ivdep
    for (int64_t c = 0; c < n; ++c) {
        const T xh = (x[c] - s.mean) * s.rstd;
        dx[c] = s.rstd * (dout[c] * w[c] - (sum_g + xh * sum_gx) * inv_n);
        dw[c] += dout[c] * xh;
        db[c] += dout[c];
    }
}

// Parameter-gradient sums: rows add into `block` in T, which every kFlushRows rows (and at the
// end) goes into `total` in double, so that long inputs do not lose the small terms.
constexpr int64_t kNormFlushRows = 64;

template <typename T>
inline void flush_sums(std::vector<T>& block, std::vector<double>& total) {
    for (size_t i = 0; i < block.size(); ++i) {
        total[i] += static_cast<double>(block[i]);
    }
    std::fill(block.begin(), block.end(), T(0));
}

}  // namespace statetrack::kernels
