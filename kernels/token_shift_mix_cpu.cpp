// Token-shift mix loops (see token_shift_mix_cpu.h). One pass over x per direction; the inner
// loops run over contiguous channels, so they vectorise.
#include "kernels/token_shift_mix_cpu.h"

#include <algorithm>
#include <vector>

namespace statetrack::kernels {

template <typename T>
void token_shift_mix_forward_cpu(const TokenShiftMixShape& s, const T* x, const T* x_prev,
                                 const T* mu, T* const* out) {
    const int64_t C = s.C;
    for (int64_t b = 0; b < s.B; ++b) {
        for (int64_t t = 0; t < s.T; ++t) {
            const int64_t row = (b * s.T + t) * C;
            const T* xt = x + row;
            const T* prev = t > 0 ? xt - C : x_prev + b * C;
            for (int64_t k = 0; k < s.K; ++k) {
                const T* m = mu + k * C;
                T* o = out[k] + row;
                for (int64_t c = 0; c < C; ++c) {
                    o[c] = xt[c] + (prev[c] - xt[c]) * m[c];
                }
            }
        }
    }
}

// Per row: dxx = Σ_k grad[k]·mu[k] and gsum = Σ_k grad[k]; x[b,t] gets gsum − dxx from its own
// row and dxx of row t+1 (where it is the previous token); x_prev[b] gets row 0's dxx. dmu sums
// one sequence in T (vectorised), then adds that into double.
template <typename T>
void token_shift_mix_backward_cpu(const TokenShiftMixShape& s, const T* x, const T* x_prev,
                                  const T* mu, const T* const* grad, T* dx, T* dx_prev, T* dmu) {
    const int64_t C = s.C;
    const auto size = [](int64_t n) { return static_cast<size_t>(n); };
    std::vector<double> dmu_sum(size(s.K * C), 0.0);
    std::vector<T> dmu_seq(size(s.K * C)), dxx(size(C)), gsum(size(C)), xx(size(C));
    for (int64_t b = 0; b < s.B; ++b) {
        std::fill(dmu_seq.begin(), dmu_seq.end(), T(0));
        // Backwards in t: row t's dxx lands on dx[b,t-1], which is then complete.
        for (int64_t t = s.T - 1; t >= 0; --t) {
            const int64_t row = (b * s.T + t) * C;
            const T* xt = x + row;
            const T* prev = t > 0 ? xt - C : x_prev + b * C;
            for (int64_t c = 0; c < C; ++c) {
                xx[size(c)] = prev[c] - xt[c];
            }
            std::fill(dxx.begin(), dxx.end(), T(0));
            std::fill(gsum.begin(), gsum.end(), T(0));
            for (int64_t k = 0; k < s.K; ++k) {
                if (grad[k] == nullptr) {
                    continue;
                }
                const T* g = grad[k] + row;
                const T* m = mu + k * C;
                T* dm = dmu_seq.data() + k * C;
                for (int64_t c = 0; c < C; ++c) {
                    gsum[size(c)] += g[c];
                    dxx[size(c)] += g[c] * m[c];
                    dm[c] += g[c] * xx[size(c)];
                }
            }
            T* d = dx + row;
            const bool last = t == s.T - 1;
            for (int64_t c = 0; c < C; ++c) {
                d[c] = gsum[size(c)] - dxx[size(c)] + (last ? T(0) : d[c]);  // row t+1's dxx
            }
            T* d_prev = t > 0 ? d - C : dx_prev + b * C;
            std::copy(dxx.begin(), dxx.end(), d_prev);
        }
        for (size_t i = 0; i < dmu_sum.size(); ++i) {
            dmu_sum[i] += static_cast<double>(dmu_seq[i]);
        }
    }
    for (int64_t i = 0; i < s.K * C; ++i) {
        dmu[i] = static_cast<T>(dmu_sum[size(i)]);
    }
}

template void token_shift_mix_forward_cpu<float>(const TokenShiftMixShape&, const float*,
                                                 const float*, const float*, float* const*);
template void token_shift_mix_forward_cpu<double>(const TokenShiftMixShape&, const double*,
                                                  const double*, const double*, double* const*);
template void token_shift_mix_backward_cpu<float>(const TokenShiftMixShape&, const float*,
                                                  const float*, const float*, const float* const*,
                                                  float*, float*, float*);
template void token_shift_mix_backward_cpu<double>(const TokenShiftMixShape&, const double*,
                                                   const double*, const double*,
                                                   const double* const*, double*, double*,
                                                   double*);

}  // namespace statetrack::kernels
