// Readout loops (see rwkv7_wkv_readout_cpu.h). Per-head sums run as eight independent partial
// sums, which the compiler turns into vector adds (a single accumulator is a serial chain of
// adds, about four times slower at N = 32).
#include "model/rwkv7_wkv_readout_cpu.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace statetrack::model {
namespace {

constexpr int64_t kFlushRows = 64;  // rows summed in T before a parameter gradient goes to double

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

// Pointers to one (row, head) slice of the inputs.
template <typename T>
Rwkv7ReadoutIn<T> slice(const Rwkv7ReadoutIn<T>& in, int64_t off, int64_t c0) {
    const bool bonus = in.r_k != nullptr;
    return {in.y + off,  bonus ? in.r + off : nullptr, bonus ? in.k + off : nullptr,
            in.v + off,  in.gate + off,                in.weight + c0,
            in.bias + c0, bonus ? in.r_k + c0 : nullptr};
}

template <typename T>
T bonus_weight(const Rwkv7ReadoutIn<T>& h, int64_t N) {
    if (h.r_k == nullptr) {
        return T(0);
    }
    return sum_of<T>(N, [&](int64_t c) { return h.r[c] * h.k[c] * h.r_k[c]; });
}

// Adds the float block sums into the double totals and clears them.
template <typename T>
void flush(std::vector<T>& block, std::vector<double>& total) {
    for (size_t i = 0; i < block.size(); ++i) {
        total[i] += static_cast<double>(block[i]);
    }
    std::fill(block.begin(), block.end(), T(0));
}

}  // namespace

template <typename T>
void rwkv7_readout_forward_cpu(const Rwkv7ReadoutShape& s, const Rwkv7ReadoutIn<T>& in, T* out,
                               T* stats) {
    const int64_t N = s.head_size, C = s.heads * N;
    for (int64_t row = 0; row < s.rows; ++row) {
        for (int64_t h = 0; h < s.heads; ++h) {
            const int64_t off = row * C + h * N;
            const Rwkv7ReadoutIn<T> x = slice(in, off, h * N);
            const T mean = sum_of<T>(N, [&](int64_t c) { return x.y[c]; }) / T(N);
            const T var = sum_of<T>(N, [&](int64_t c) {
                              const T d = x.y[c] - mean;
                              return d * d;
                          }) /
                          T(N);
            const T rstd = T(1) / std::sqrt(var + static_cast<T>(s.eps));
            const T sw = bonus_weight(x, N);
            T* __restrict o = out + off;  // see the backward on restrict and ivdep
            const T *__restrict y = x.y, *__restrict v = x.v, *__restrict gate = x.gate;
            const T *__restrict w = x.weight, *__restrict b = x.bias;
            #pragma GCC ivdep
            for (int64_t c = 0; c < N; ++c) {
                o[c] = ((y[c] - mean) * rstd * w[c] + b[c] + sw * v[c]) * gate[c];
            }
            stats[2 * (row * s.heads + h)] = mean;
            stats[2 * (row * s.heads + h) + 1] = rstd;
        }
    }
}

template <typename T>
void rwkv7_readout_backward_cpu(const Rwkv7ReadoutShape& s, const Rwkv7ReadoutIn<T>& in,
                                const T* stats, const T* dout, const Rwkv7ReadoutGrad<T>& grad) {
    const int64_t N = s.head_size, C = s.heads * N;
    const bool bonus = in.r_k != nullptr;
    // Parameter gradients: weight, bias, r_k (C each), per block of rows in T.
    std::vector<T> block(static_cast<size_t>(3 * C), T(0));
    std::vector<double> total(block.size(), 0.0);
    for (int64_t row = 0; row < s.rows; ++row) {
        for (int64_t h = 0; h < s.heads; ++h) {
            const int64_t off = row * C + h * N;
            const Rwkv7ReadoutIn<T> x = slice(in, off, h * N);
            const T mean = stats[2 * (row * s.heads + h)];
            const T rstd = stats[2 * (row * s.heads + h) + 1];
            const T* dz = dout + off;
            const auto yhat = [&](int64_t c) { return (x.y[c] - mean) * rstd; };
            const auto dpre = [&](int64_t c) { return dz[c] * x.gate[c]; };
            // dŷ = dpre·weight; the group norm's input gradient needs Σ dŷ and Σ dŷ·ŷ.
            const T sum_d = sum_of<T>(N, [&](int64_t c) { return dpre(c) * x.weight[c]; });
            const T sum_dy = sum_of<T>(N, [&](int64_t c) { return dpre(c) * x.weight[c] * yhat(c); });
            const T sw = bonus_weight(x, N);
            const T dsw = bonus ? sum_of<T>(N, [&](int64_t c) { return dpre(c) * x.v[c]; }) : T(0);
            const T inv_n = T(1) / T(N);
            // The rows never overlap; GCC does not take restrict on locals, so ivdep says so
            // (without it the loops need over ten alias checks and stay scalar).
            const T* __restrict y = x.y;
            const T* __restrict v = x.v;
            const T* __restrict gate = x.gate;
            const T* __restrict w = x.weight;
            const T* __restrict b = x.bias;
            T* __restrict dgate = grad.gate + off;
            T* __restrict dv = grad.v + off;
            T* __restrict dy = grad.y + off;
            T* __restrict dw = block.data() + h * N;
            T* __restrict db = dw + C;
            #pragma GCC ivdep
            for (int64_t c = 0; c < N; ++c) {
                const T yh = (y[c] - mean) * rstd, p = dz[c] * gate[c];
                dgate[c] = dz[c] * (yh * w[c] + b[c] + sw * v[c]);
                dv[c] = p * sw;
                dy[c] = rstd * (p * w[c] - (sum_d + yh * sum_dy) * inv_n);
                dw[c] += p * yh;
                db[c] += p;
            }
            if (bonus) {
                const T* __restrict r = x.r;
                const T* __restrict k = x.k;
                const T* __restrict rk = x.r_k;
                T* __restrict dr = grad.r + off;
                T* __restrict dk = grad.k + off;
                T* __restrict drk = db + C;
                #pragma GCC ivdep
                for (int64_t c = 0; c < N; ++c) {
                    dr[c] = dsw * k[c] * rk[c];
                    dk[c] = dsw * r[c] * rk[c];
                    drk[c] += dsw * r[c] * k[c];
                }
            }
        }
        if ((row + 1) % kFlushRows == 0) {
            flush(block, total);
        }
    }
    flush(block, total);
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
