// Token-shift mix loops (see token_shift_mix_cpu.h). One pass over x per direction; the inner
// loops run over contiguous channels, so they vectorise, once per instruction set
// (core/target_clones.h).
#include "kernels/token_shift_mix_cpu.h"

#include <algorithm>
#include <vector>

#include "core/target_clones.h"

namespace statetrack::kernels {

template <typename T>
STATETRACK_TARGET_CLONES void token_shift_mix_forward_cpu(const TokenShiftMixShape& s, const T* x,
                                                          const T* x_prev, const T* mu,
                                                          T* const* out) {
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
// row and dxx of row t+1 (where it is the previous token); x_prev[b] gets row 0's dxx. Rows go
// forward in t, so row t's dxx lands on dx[b,t-1], written one row earlier and still in L1.
// Channels go in tiles whose accumulators live on the stack: the compiler then knows that no
// store aliases a gradient load, and the K gradient rows are each read once. dmu sums one
// sequence in T (vectorised), then adds that into double.
template <typename T>
STATETRACK_TARGET_CLONES void token_shift_mix_backward_cpu(const TokenShiftMixShape& s, const T* x,
                                                           const T* x_prev, const T* mu,
                                                           const T* const* grad, T* dx, T* dx_prev,
                                                           T* dmu) {
    constexpr int64_t kTile = 64;
    const int64_t C = s.C;
    const auto size = [](int64_t n) { return static_cast<size_t>(n); };
    std::vector<double> dmu_sum(size(s.K * C), 0.0);
    std::vector<T> dmu_seq(size(s.K * C));
    for (int64_t b = 0; b < s.B; ++b) {
        std::fill(dmu_seq.begin(), dmu_seq.end(), T(0));
        for (int64_t t = 0; t < s.T; ++t) {
            const int64_t row = (b * s.T + t) * C;
            for (int64_t c0 = 0; c0 < C; c0 += kTile) {
                const int64_t n = std::min(kTile, C - c0);
                const T* xt = x + row + c0;
                const T* prev = t > 0 ? xt - C : x_prev + b * C + c0;
                T xx[kTile], dxx[kTile] = {}, gsum[kTile] = {};
                for (int64_t c = 0; c < n; ++c) {
                    xx[c] = prev[c] - xt[c];
                }
                for (int64_t k = 0; k < s.K; ++k) {
                    if (grad[k] == nullptr) {
                        continue;
                    }
                    const T* __restrict g = grad[k] + row + c0;
                    const T* __restrict m = mu + k * C + c0;
                    T* __restrict dm = dmu_seq.data() + k * C + c0;
                    for (int64_t c = 0; c < n; ++c) {
                        gsum[c] += g[c];
                        dxx[c] += g[c] * m[c];
                        dm[c] += g[c] * xx[c];
                    }
                }
                T* __restrict d = dx + row + c0;
                for (int64_t c = 0; c < n; ++c) {
                    d[c] = gsum[c] - dxx[c];
                }
                T* __restrict d_prev = t > 0 ? d - C : dx_prev + b * C + c0;
                for (int64_t c = 0; c < n; ++c) {
                    d_prev[c] = t > 0 ? d_prev[c] + dxx[c] : dxx[c];
                }
            }
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
                                                   const double* const*, double*, double*, double*);

}  // namespace statetrack::kernels
