// Causal depthwise convolution loops (see causal_conv_cpu.h). Channels are innermost and
// contiguous in every operand, so each tap is one vectorised pass over E; the weight is read
// transposed, (K, E), for the same reason. Built once per instruction set (core/target_clones.h).
#include "kernels/causal_conv_cpu.h"

#include <algorithm>
#include <vector>

#include "core/target_clones.h"

namespace statetrack::kernels {
namespace {

template <typename S>
std::vector<S> taps_by_channel(const S* weight, int64_t E, int64_t K) {  // (E, K) -> (K, E)
    std::vector<S> taps(static_cast<size_t>(K * E));
    for (int64_t e = 0; e < E; ++e) {
        for (int64_t k = 0; k < K; ++k) {
            taps[k * E + e] = weight[e * K + k];
        }
    }
    return taps;
}

}  // namespace

template <typename S>
STATETRACK_TARGET_CLONES void causal_conv_forward_cpu(const CausalConvShape& s, const S* x,
                                                      const S* weight, const S* bias, S* y) {
    const int64_t E = s.E, K = s.K;
    const std::vector<S> taps = taps_by_channel(weight, E, K);
    for (int64_t b = 0; b < s.B; ++b) {
        for (int64_t t = 0; t < s.T; ++t) {
            S* out = y + (b * s.T + t) * E;
            std::copy(bias, bias + E, out);
            for (int64_t k = std::max<int64_t>(0, K - 1 - t); k < K; ++k) {
                const S* in = x + (b * s.T + t - (K - 1) + k) * E;
                const S* w = taps.data() + k * E;
#pragma GCC ivdep
                for (int64_t e = 0; e < E; ++e) {
                    out[e] += w[e] * in[e];
                }
            }
        }
    }
}

template <typename S>
STATETRACK_TARGET_CLONES void causal_conv_backward_cpu(const CausalConvShape& s, const S* x,
                                                       const S* weight, const S* dy, S* dx,
                                                       S* dweight, S* dbias) {
    const int64_t E = s.E, K = s.K;
    const std::vector<S> taps = taps_by_channel(weight, E, K);
    std::vector<S> dtaps(static_cast<size_t>(K * E), S(0));  // (K, E), transposed at the end
    std::fill(dbias, dbias + E, S(0));
    std::fill(dx, dx + s.B * s.T * E, S(0));
    for (int64_t b = 0; b < s.B; ++b) {
        for (int64_t t = 0; t < s.T; ++t) {
            const S* g = dy + (b * s.T + t) * E;
#pragma GCC ivdep
            for (int64_t e = 0; e < E; ++e) {
                dbias[e] += g[e];
            }
            for (int64_t k = std::max<int64_t>(0, K - 1 - t); k < K; ++k) {
                const int64_t at = (b * s.T + t - (K - 1) + k) * E;
                const S* w = taps.data() + k * E;
                S* dw = dtaps.data() + k * E;
#pragma GCC ivdep
                for (int64_t e = 0; e < E; ++e) {
                    dx[at + e] += w[e] * g[e];
                    dw[e] += x[at + e] * g[e];
                }
            }
        }
    }
    for (int64_t e = 0; e < E; ++e) {
        for (int64_t k = 0; k < K; ++k) {
            dweight[e * K + k] = dtaps[k * E + e];
        }
    }
}

template void causal_conv_forward_cpu<float>(const CausalConvShape&, const float*, const float*,
                                             const float*, float*);
template void causal_conv_forward_cpu<double>(const CausalConvShape&, const double*, const double*,
                                              const double*, double*);
template void causal_conv_backward_cpu<float>(const CausalConvShape&, const float*, const float*,
                                              const float*, float*, float*, float*);
template void causal_conv_backward_cpu<double>(const CausalConvShape&, const double*, const double*,
                                               const double*, double*, double*, double*);

}  // namespace statetrack::kernels
