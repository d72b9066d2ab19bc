// RMS-norm loops (see rms_norm_cpu.h), in the style of layer_norm_cpu.cpp: sums as
// kernels/norm_rows.h's eight partial sums, the weight gradient summed per block of rows in T
// and across blocks in double. Built once per instruction set (core/target_clones.h).
#include "kernels/rms_norm_cpu.h"

#include <cmath>
#include <vector>

#include "core/target_clones.h"
#include "kernels/norm_rows.h"

namespace statetrack::kernels {

template <typename T>
STATETRACK_TARGET_CLONES void rms_norm_forward_cpu(const RmsNormShape& s, const T* x,
                                                   const T* weight, T* out, T* rstd) {
    for (int64_t row = 0; row < s.rows; ++row) {
        const T* xr = x + row * s.C;
        T* o = out + row * s.C;
        const T ms = sum_of<T>(s.C, [&](int64_t c) { return xr[c] * xr[c]; }) / T(s.C);
        const T r = T(1) / std::sqrt(ms + static_cast<T>(s.eps));
#pragma GCC ivdep
        for (int64_t c = 0; c < s.C; ++c) {
            o[c] = xr[c] * r * weight[c];
        }
        rstd[row] = r;
    }
}

template <typename T>
STATETRACK_TARGET_CLONES void rms_norm_backward_cpu(const RmsNormShape& s, const T* x,
                                                    const T* weight, const T* rstd, const T* dout,
                                                    T* dx, T* dweight) {
    std::vector<T> block(static_cast<size_t>(s.C), T(0));
    std::vector<double> total(block.size(), 0.0);
    T* dw = block.data();
    const T inv_n = T(1) / T(s.C);
    for (int64_t row = 0; row < s.rows; ++row) {
        const int64_t off = row * s.C;
        const T *xr = x + off, *g = dout + off;
        T* d = dx + off;
        const T r = rstd[row];
        const T sum_gx = sum_of<T>(s.C, [&](int64_t c) { return g[c] * weight[c] * xr[c] * r; });
#pragma GCC ivdep
        for (int64_t c = 0; c < s.C; ++c) {
            const T xh = xr[c] * r;
            d[c] = r * (g[c] * weight[c] - xh * sum_gx * inv_n);
            dw[c] += g[c] * xh;
        }
        if ((row + 1) % kNormFlushRows == 0) {
            flush_sums(block, total);
        }
    }
    flush_sums(block, total);
    for (int64_t c = 0; c < s.C; ++c) {
        dweight[c] = static_cast<T>(total[static_cast<size_t>(c)]);
    }
}

template void rms_norm_forward_cpu<float>(const RmsNormShape&, const float*, const float*, float*,
                                          float*);
template void rms_norm_forward_cpu<double>(const RmsNormShape&, const double*, const double*,
                                           double*, double*);
template void rms_norm_backward_cpu<float>(const RmsNormShape&, const float*, const float*,
                                           const float*, const float*, float*, float*);
template void rms_norm_backward_cpu<double>(const RmsNormShape&, const double*, const double*,
                                            const double*, const double*, double*, double*);

}  // namespace statetrack::kernels
