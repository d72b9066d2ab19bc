// attention_cpu (see attention_cpu.h): per (batch, head) loops reading q, k and v rows in place
// and k, v transposed into scratch. Every inner loop runs over a contiguous row (keys or head
// channels) so it vectorises; masked scores (-inf) skip their exp and their share of the products.
// Built with -fno-trapping-math (kernels/CMakeLists.txt), so that the softmax's maximum and its
// select of masked scores are vector compare-and-selects.
#include "kernels/attention_cpu.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

#include "core/target_clones.h"
#include "kernels/exp_approx.h"
#include "kernels/norm_rows.h"

namespace statetrack::kernels {
namespace {

template <typename S>
constexpr S minus_inf() {
    return -std::numeric_limits<S>::infinity();
}

// Offset of q (j = 0), k (1) or v (2) of head h at (b, t) in qkv.
template <typename S>
int64_t qkv_offset(const AttentionParams<S>& p, int64_t b, int64_t t, int64_t j, int64_t h) {
    return ((b * p.T + t) * 3 + j) * p.H * p.N + h * p.N;
}

// Keys are padded to a multiple of kKeyPad so the loops over keys run in whole vectors (16 floats
// = one AVX-512 register); padded keys are zero and never enter a softmax.
constexpr int64_t kKeyPad = 16;

inline int64_t padded(int64_t keys) { return (keys + kKeyPad - 1) / kKeyPad * kKeyPad; }

// Per bias head and query row, the end of its keys: one past the last key whose bias is not
// -inf (T without a bias), so a causal mask halves the work instead of adding zeros.
template <typename S>
std::vector<int64_t> key_ends(const AttentionParams<S>& p) {
    std::vector<int64_t> ends(p.bias_heads * p.T, p.T);
    for (int64_t r = 0; p.bias != nullptr && r < p.bias_heads * p.T; ++r) {
        while (ends[r] > 0 && p.bias[r * p.T + ends[r] - 1] == minus_inf<S>()) {
            --ends[r];
        }
    }
    return ends;
}

// What one (b, h) pair reads besides qkv: Kt = Kᵀ and Vt = Vᵀ (N×Tp, zero-padded) for the
// loops over keys, a row of Tp scores, the key ends of its bias head; the backward's dK, dV.
template <typename S>
struct HeadScratch {
    int64_t Tp;
    std::vector<S> Kt, Vt, row, dK, dV;
    const int64_t* key_end = nullptr;
    HeadScratch(const AttentionParams<S>& p, bool backward)
        : Tp(padded(p.T)),
          Kt(Tp * p.N, S(0)),
          Vt(Tp * p.N, S(0)),
          row(Tp),
          dK(backward ? p.T * p.N : 0),
          dV(backward ? p.T * p.N : 0) {}
};

// out[s] = Σ_n x[n]·M[n, s] for s < len (a multiple of kKeyPad), M (N×ld) row-major. A block
// of kKeyPad sums stays in registers over n, as four partial sums (n mod 4): one chain of N
// dependent multiply-adds per block made these loops wait on the adder's latency.
// Always inlined: the caller is built per instruction set (STATETRACK_TARGET_CLONES), an
// out-of-line copy only for the baseline.
template <typename S>
__attribute__((always_inline)) inline void row_times(const S* x, const S* M, int64_t N, int64_t ld,
                                                     int64_t len, S* out) {
    typedef S Block __attribute__((vector_size(kKeyPad * sizeof(S))));
    const auto fma_row = [&](Block& acc, int64_t n, int64_t s0) {
        Block m;
        __builtin_memcpy(&m, M + n * ld + s0, sizeof m);
        acc += x[n] * m;
    };
    for (int64_t s0 = 0; s0 < len; s0 += kKeyPad) {
        Block a0{}, a1{}, a2{}, a3{};
        int64_t n = 0;
        for (; n + 4 <= N; n += 4) {
            fma_row(a0, n, s0);
            fma_row(a1, n + 1, s0);
            fma_row(a2, n + 2, s0);
            fma_row(a3, n + 3, s0);
        }
        for (; n < N; ++n) {
            fma_row(a0, n, s0);
        }
        const Block sum = (a0 + a1) + (a2 + a3);
        __builtin_memcpy(out + s0, &sum, sizeof sum);
    }
}

// out (N) = Σ_{s < count} w[s]·rows[s] (rows ld apart). With the head size known at compile
// time (kN > 0) the sums are whole vectors in registers, two partial sums (s even, odd) so that
// consecutive rows do not wait on each other; otherwise they accumulate in out.
template <typename S, int kN>
__attribute__((always_inline)) inline void weighted_sum(const S* w, const S* rows, int64_t ld,
                                                        int64_t count, int64_t N, S* out) {
    if constexpr (kN > 0) {
        typedef S Row __attribute__((vector_size(kN * sizeof(S))));
        Row even{}, odd{}, r0, r1;
        int64_t s = 0;
        for (; s + 2 <= count; s += 2) {
            __builtin_memcpy(&r0, rows + s * ld, sizeof r0);
            __builtin_memcpy(&r1, rows + (s + 1) * ld, sizeof r1);
            even += w[s] * r0;
            odd += w[s + 1] * r1;
        }
        if (s < count) {
            __builtin_memcpy(&r0, rows + s * ld, sizeof r0);
            even += w[s] * r0;
        }
        even += odd;
        __builtin_memcpy(out, &even, sizeof even);
    } else {
        for (int64_t n = 0; n < N; ++n) {
            out[n] = 0;
        }
        for (int64_t s = 0; s < count; ++s) {
            for (int64_t n = 0; n < N; ++n) {
                out[n] += w[s] * rows[s * ld + n];
            }
        }
    }
}

// rows[s] += c[s]·v for s < count (rows N apart, v of N). With the head size known at compile
// time (kN > 0) v is one whole vector in registers and each row one vector multiply-add.
template <typename S, int kN>
__attribute__((always_inline)) inline void add_scaled_rows(const S* c, const S* v, int64_t count,
                                                           int64_t N, S* rows) {
    if constexpr (kN > 0) {
        typedef S Row __attribute__((vector_size(kN * sizeof(S))));
        Row vv, r;
        __builtin_memcpy(&vv, v, sizeof vv);
        for (int64_t s = 0; s < count; ++s) {
            __builtin_memcpy(&r, rows + s * kN, sizeof r);
            r += c[s] * vv;
            __builtin_memcpy(rows + s * kN, &r, sizeof r);
        }
    } else {
        for (int64_t s = 0; s < count; ++s) {
            for (int64_t n = 0; n < N; ++n) {
                rows[s * N + n] += c[s] * v[n];
            }
        }
    }
}

template <typename S>
const S* head_bias(const AttentionParams<S>& p, int64_t h) {
    return p.bias == nullptr ? nullptr : p.bias + (p.bias_heads == 1 ? 0 : h) * p.T * p.T;
}

// Fills w's transposes for (b, h) and points it at the head's key ends.
template <typename S, int kN>
inline void load_head(const AttentionParams<S>& p, int64_t b, int64_t h, const int64_t* ends,
                      HeadScratch<S>& w) {
    const int64_t N = kN > 0 ? kN : p.N;
    for (int64_t t = 0; t < p.T; ++t) {
        const S* k = p.qkv + qkv_offset(p, b, t, 1, h);
        const S* v = p.qkv + qkv_offset(p, b, t, 2, h);
        for (int64_t n = 0; n < N; ++n) {
            w.Kt[n * w.Tp + t] = k[n];
            w.Vt[n * w.Tp + t] = v[n];
        }
    }
    w.key_end = ends + (p.bias_heads == 1 ? 0 : h) * p.T;
}

template <typename S, int kN>
STATETRACK_TARGET_CLONES void head_forward(const AttentionParams<S>& p, int64_t b, int64_t h,
                                           const int64_t* ends, HeadScratch<S>& w, S* y) {
    const int64_t T = p.T, N = kN > 0 ? kN : p.N, C = p.H * p.N, ld = 3 * C;
    const S* bias = head_bias(p, h);
    load_head<S, kN>(p, b, h, ends, w);
    S* score = w.row.data();
    for (int64_t t = 0; t < T; ++t) {
        const int64_t end = w.key_end[t];
        row_times(p.qkv + qkv_offset(p, b, t, 0, h), w.Kt.data(), N, w.Tp, padded(end), score);
        S top = minus_inf<S>();
        for (int64_t s = 0; s < end; ++s) {
            score[s] = score[s] * p.scale + (bias == nullptr ? S(0) : bias[t * T + s]);
            top = score[s] > top ? score[s] : top;
        }
        // exp_of and the partial sums of sum_of vectorise; a std::exp per score was a library
        // call each (about 2% of the Transformer's training step at the quick shape).
        for (int64_t s = 0; s < end; ++s) {
            score[s] = score[s] == minus_inf<S>() ? S(0) : exp_of(score[s] - top);
        }
        const S inv = S(1) / sum_of<S>(end, [&](int64_t s) { return score[s]; });
        S* prob = p.probs + ((b * p.H + h) * T + t) * T;
        for (int64_t s = 0; s < T; ++s) {
            prob[s] = s < end ? score[s] * inv : S(0);
        }
        weighted_sum<S, kN>(prob, p.qkv + qkv_offset(p, b, 0, 2, h), ld, end, N,
                            y + (b * T + t) * C + h * N);
    }
}

template <typename S, int kN>
STATETRACK_TARGET_CLONES void head_backward(const AttentionParams<S>& p, int64_t b, int64_t h,
                                            const int64_t* ends, HeadScratch<S>& w, const S* dy,
                                            S* dqkv) {
    const int64_t T = p.T, N = kN > 0 ? kN : p.N, C = p.H * p.N, ld = 3 * C;
    load_head<S, kN>(p, b, h, ends, w);
    std::fill(w.dK.begin(), w.dK.end(), S(0));
    std::fill(w.dV.begin(), w.dV.end(), S(0));
    S* dS = w.row.data();  // dP, then dS in place
    for (int64_t t = 0; t < T; ++t) {
        const int64_t end = w.key_end[t];
        const S* prob = p.probs + ((b * p.H + h) * T + t) * T;
        const S* g = dy + (b * T + t) * C + h * N;
        const S* q = p.qkv + qkv_offset(p, b, t, 0, h);
        row_times(g, w.Vt.data(), N, w.Tp, padded(end), dS);
        const S dot = sum_of<S>(end, [&](int64_t s) { return prob[s] * dS[s]; });
        for (int64_t s = 0; s < end; ++s) {
            dS[s] = prob[s] * (dS[s] - dot) * p.scale;
        }
        add_scaled_rows<S, kN>(prob, g, end, N, w.dV.data());
        add_scaled_rows<S, kN>(dS, q, end, N, w.dK.data());
        weighted_sum<S, kN>(dS, p.qkv + qkv_offset(p, b, 0, 1, h), ld, end, N,
                            dqkv + qkv_offset(p, b, t, 0, h));
    }
    for (int64_t t = 0; t < T; ++t) {
        S* dk = dqkv + qkv_offset(p, b, t, 1, h);
        S* dv = dqkv + qkv_offset(p, b, t, 2, h);
        for (int64_t n = 0; n < N; ++n) {
            dk[n] = w.dK[t * N + n];
            dv[n] = w.dV[t * N + n];
        }
    }
}

// The head loops for head size N: compiled for the common sizes, generic otherwise.
template <typename S>
using HeadForwardFn = void (*)(const AttentionParams<S>&, int64_t, int64_t, const int64_t*,
                               HeadScratch<S>&, S*);
template <typename S>
using HeadBackwardFn = void (*)(const AttentionParams<S>&, int64_t, int64_t, const int64_t*,
                                HeadScratch<S>&, const S*, S*);
template <typename S>
std::pair<HeadForwardFn<S>, HeadBackwardFn<S>> head_fns(int64_t N) {
    switch (N) {
        case 16:
            return {&head_forward<S, 16>, &head_backward<S, 16>};
        case 32:
            return {&head_forward<S, 32>, &head_backward<S, 32>};
        case 64:
            return {&head_forward<S, 64>, &head_backward<S, 64>};
        default:
            return {&head_forward<S, 0>, &head_backward<S, 0>};
    }
}

// Rotates the 2H vectors (q and k of every head) of one position: c[n] = cos of n's pair,
// s[n] = ∓sin (even n: −sin, odd: +sin), so out[n] = x[n]·c[n] + x[n ^ 1]·s[n].
template <typename S>
STATETRACK_TARGET_CLONES void rope_position(const S* in, S* out, int64_t vectors, int64_t N,
                                            const S* c, const S* s) {
    for (int64_t v = 0; v < vectors; ++v) {
        const S* x = in + v * N;
        S* o = out + v * N;
        for (int64_t n = 0; n < N; n += 2) {
            const S e = x[n], od = x[n + 1];
            o[n] = e * c[n] + od * s[n];
            o[n + 1] = od * c[n + 1] + e * s[n + 1];
        }
    }
}

}  // namespace

template <typename S>
void rope_qk_cpu(const S* in, S* out, int64_t B, int64_t T, int64_t H, int64_t N, const S* cos,
                 const S* sin, int direction) {
    const int64_t C = H * N;
    at::parallel_for(0, T, 1, [&](int64_t begin, int64_t end) {
        std::vector<S> c(N), s(N);
        for (int64_t t = begin; t < end; ++t) {
            for (int64_t i = 0; i < N / 2; ++i) {
                c[2 * i] = c[2 * i + 1] = cos[t * (N / 2) + i];
                s[2 * i + 1] = direction * sin[t * (N / 2) + i];
                s[2 * i] = -s[2 * i + 1];
            }
            for (int64_t b = 0; b < B; ++b) {
                const int64_t row = (b * T + t) * 3 * C;
                rope_position(in + row, out + row, 2 * H, N, c.data(), s.data());
                if (out != in) {
                    std::copy(in + row + 2 * C, in + row + 3 * C, out + row + 2 * C);
                }
            }
        }
    });
}

template <typename S>
void attention_forward_cpu(const AttentionParams<S>& p, S* y) {
    const HeadForwardFn<S> head = head_fns<S>(p.N).first;
    const std::vector<int64_t> ends = key_ends(p);
    at::parallel_for(0, p.B * p.H, 1, [&](int64_t begin, int64_t end) {
        HeadScratch<S> scratch(p, /*backward=*/false);
        for (int64_t bh = begin; bh < end; ++bh) {
            head(p, bh / p.H, bh % p.H, ends.data(), scratch, y);
        }
    });
}

template <typename S>
void attention_backward_cpu(const AttentionParams<S>& p, const S* dy, S* dqkv) {
    const HeadBackwardFn<S> head = head_fns<S>(p.N).second;
    const std::vector<int64_t> ends = key_ends(p);
    at::parallel_for(0, p.B * p.H, 1, [&](int64_t begin, int64_t end) {
        HeadScratch<S> scratch(p, /*backward=*/true);
        for (int64_t bh = begin; bh < end; ++bh) {
            head(p, bh / p.H, bh % p.H, ends.data(), scratch, dy, dqkv);
        }
    });
}

template void attention_forward_cpu<float>(const AttentionParams<float>&, float*);
template void attention_forward_cpu<double>(const AttentionParams<double>&, double*);
template void attention_backward_cpu<float>(const AttentionParams<float>&, const float*, float*);
template void attention_backward_cpu<double>(const AttentionParams<double>&, const double*,
                                             double*);
template void rope_qk_cpu<float>(const float*, float*, int64_t, int64_t, int64_t, int64_t,
                                 const float*, const float*, int);
template void rope_qk_cpu<double>(const double*, double*, int64_t, int64_t, int64_t, int64_t,
                                  const double*, const double*, int);

}  // namespace statetrack::kernels
