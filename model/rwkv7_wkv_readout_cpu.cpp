// Readout loops (see rwkv7_wkv_readout_cpu.h). The group norm is kernels/norm_rows.h's, one
// segment per head; the bonus and gate are one more pass over the head's channels each way.
// Built once per instruction set (core/target_clones.h).
#include "model/rwkv7_wkv_readout_cpu.h"

#include <vector>

#include "core/target_clones.h"
#include "kernels/norm_rows.h"

namespace statetrack::model {
namespace {

using kernels::NormStats;
using kernels::sum_of;

// Pointers to one (row, head) slice of the inputs.
template <typename T>
Rwkv7ReadoutIn<T> slice(const Rwkv7ReadoutIn<T>& in, int64_t off, int64_t c0) {
    const bool bonus = in.r_k != nullptr;
    return {in.y + off,
            bonus ? in.r + off : nullptr,
            bonus ? in.k + off : nullptr,
            in.v + off,
            in.gate + off,
            in.weight + c0,
            in.bias + c0,
            bonus ? in.r_k + c0 : nullptr};
}

template <typename T>
T bonus_weight(const Rwkv7ReadoutIn<T>& h, int64_t N) {
    if (h.r_k == nullptr) {
        return T(0);
    }
    return sum_of<T>(N, [&](int64_t c) { return h.r[c] * h.k[c] * h.r_k[c]; });
}

// dL/d(r, k, r_k) of the bonus, given dL/ds for the head's weight s = Σ r·k·r_k.
template <typename T>
void bonus_backward(const Rwkv7ReadoutIn<T>& x, T ds, int64_t N, T* dr, T* dk, T* drk) {
#pragma GCC ivdep
    for (int64_t c = 0; c < N; ++c) {
        dr[c] = ds * x.k[c] * x.r_k[c];
        dk[c] = ds * x.r[c] * x.r_k[c];
        drk[c] += ds * x.r[c] * x.k[c];
    }
}

}  // namespace

template <typename T>
STATETRACK_TARGET_CLONES void rwkv7_readout_forward_cpu(const Rwkv7ReadoutShape& s,
                                                        const Rwkv7ReadoutIn<T>& in, T* out,
                                                        T* stats) {
    const int64_t N = s.head_size, C = s.heads * N;
    for (int64_t row = 0; row < s.rows; ++row) {
        for (int64_t h = 0; h < s.heads; ++h) {
            const int64_t off = row * C + h * N;
            const Rwkv7ReadoutIn<T> x = slice(in, off, h * N);
            T* o = out + off;
            const NormStats<T> st = kernels::norm_forward_row(x.y, N, s.eps, x.weight, x.bias, o);
            const T sw = bonus_weight(x, N);
#pragma GCC ivdep
            for (int64_t c = 0; c < N; ++c) {
                o[c] = (o[c] + sw * x.v[c]) * x.gate[c];
            }
            stats[2 * (row * s.heads + h)] = st.mean;
            stats[2 * (row * s.heads + h) + 1] = st.rstd;
        }
    }
}

template <typename T>
STATETRACK_TARGET_CLONES void rwkv7_readout_backward_cpu(const Rwkv7ReadoutShape& s,
                                                         const Rwkv7ReadoutIn<T>& in,
                                                         const T* stats, const T* dout,
                                                         const Rwkv7ReadoutGrad<T>& grad) {
    const int64_t N = s.head_size, C = s.heads * N;
    const bool bonus = in.r_k != nullptr;
    // Parameter gradients weight, bias, r_k (C each), summed per block of rows in T.
    std::vector<T> block(static_cast<size_t>(3 * C), T(0));
    std::vector<double> total(block.size(), 0.0);
    std::vector<T> dpre(static_cast<size_t>(N));  // dL/d(group norm + bonus) of one head
    for (int64_t row = 0; row < s.rows; ++row) {
        for (int64_t h = 0; h < s.heads; ++h) {
            const int64_t off = row * C + h * N;
            const Rwkv7ReadoutIn<T> x = slice(in, off, h * N);
            const NormStats<T> st{stats[2 * (row * s.heads + h)],
                                  stats[2 * (row * s.heads + h) + 1]};
            const T* dz = dout + off;
            const T sw = bonus_weight(x, N);
            T* dp = dpre.data();
            T* dgate = grad.gate + off;
            T* dv = grad.v + off;
#pragma GCC ivdep
            for (int64_t c = 0; c < N; ++c) {
                const T pre = (x.y[c] - st.mean) * st.rstd * x.weight[c] + x.bias[c] + sw * x.v[c];
                dgate[c] = dz[c] * pre;
                dp[c] = dz[c] * x.gate[c];
                dv[c] = dp[c] * sw;
            }
            T* dw = block.data() + h * N;
            kernels::norm_backward_row(x.y, dp, N, st, x.weight, grad.y + off, dw, dw + C);
            if (bonus) {
                const T ds = sum_of<T>(N, [&](int64_t c) { return dp[c] * x.v[c]; });
                bonus_backward(x, ds, N, grad.r + off, grad.k + off, dw + 2 * C);
            }
        }
        if ((row + 1) % kernels::kNormFlushRows == 0) {
            kernels::flush_sums(block, total);
        }
    }
    kernels::flush_sums(block, total);
    for (int64_t c = 0; c < C; ++c) {
        grad.weight[c] = static_cast<T>(total[static_cast<size_t>(c)]);
        grad.bias[c] = static_cast<T>(total[static_cast<size_t>(C + c)]);
        if (bonus) {
            grad.r_k[c] = static_cast<T>(total[static_cast<size_t>(2 * C + c)]);
        }
    }
}

template void rwkv7_readout_forward_cpu<float>(const Rwkv7ReadoutShape&,
                                               const Rwkv7ReadoutIn<float>&, float*, float*);
template void rwkv7_readout_forward_cpu<double>(const Rwkv7ReadoutShape&,
                                                const Rwkv7ReadoutIn<double>&, double*, double*);
template void rwkv7_readout_backward_cpu<float>(const Rwkv7ReadoutShape&,
                                                const Rwkv7ReadoutIn<float>&, const float*,
                                                const float*, const Rwkv7ReadoutGrad<float>&);
template void rwkv7_readout_backward_cpu<double>(const Rwkv7ReadoutShape&,
                                                 const Rwkv7ReadoutIn<double>&, const double*,
                                                 const double*, const Rwkv7ReadoutGrad<double>&);

}  // namespace statetrack::model
