// attention_cpu (see attention_cpu.h): per (batch, head) loops reading q, k and v rows in place
// and k (forward) or v (backward) transposed into scratch. Every inner loop runs over a
// contiguous row (keys or head channels): the loops over keys in whole blocks of 16 up to the
// row's last unmasked key rounded up (padding and masked keys have probability 0), the products
// with value or key rows only up to that key; the backward's sums per key take their weights down
// a column of P and dS, one per query row. Built with -fno-trapping-math
// (kernels/CMakeLists.txt), so that the softmax's maximum and its select of masked scores are
// vector compare-and-selects.
#include "kernels/attention_cpu.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <limits>
#include <utility>
#include <vector>

#include "core/target_clones.h"
#include "kernels/exp_approx.h"

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

// kKeyPad scores or probabilities of one row, as one GCC vector (two registers for double), and
// the integer vector that indexes its lanes.
template <typename S>
struct BlockOf;
template <>
struct BlockOf<float> {
    typedef float type __attribute__((vector_size(kKeyPad * sizeof(float))));
    typedef int32_t lanes __attribute__((vector_size(kKeyPad * sizeof(int32_t))));
};
template <>
struct BlockOf<double> {
    typedef double type __attribute__((vector_size(kKeyPad * sizeof(double))));
    typedef int64_t lanes __attribute__((vector_size(kKeyPad * sizeof(int64_t))));
};
template <typename S>
using Block = typename BlockOf<S>::type;

template <typename S>
__attribute__((always_inline)) inline Block<S> load_block(const S* x) {
    Block<S> b;
    __builtin_memcpy(&b, x, sizeof b);
    return b;
}

template <typename S>
__attribute__((always_inline)) inline void store_block(S* x, const Block<S>& b) {
    __builtin_memcpy(x, &b, sizeof b);
}

// Per bias head and query row: the end of its keys, one past the last key whose bias is not -inf
// (T without a bias), so a causal mask halves the work instead of adding zeros; and for the
// forward the bias row padded to Tp with -inf (zeros then -inf without a bias: one row for all),
// so that a softmax over whole blocks masks the padding by the bias alone.
template <typename S>
struct KeyRows {
    int64_t T, Tp;
    bool shared;                // no bias: one padded row serves every query row
    std::vector<int64_t> ends;  // (bias_heads, T)
    std::vector<S> bias;        // (bias_heads, T, Tp), or (Tp) without a bias; forward only
    KeyRows(const AttentionParams<S>& p, bool forward)
        : T(p.T), Tp(padded(p.T)), shared(p.bias == nullptr), ends(p.bias_heads * p.T, p.T) {
        for (int64_t r = 0; p.bias != nullptr && r < p.bias_heads * T; ++r) {
            while (ends[r] > 0 && p.bias[r * T + ends[r] - 1] == minus_inf<S>()) {
                --ends[r];
            }
        }
        if (!forward) {
            return;
        }
        const int64_t rows = shared ? 1 : p.bias_heads * T;
        bias.assign(rows * Tp, minus_inf<S>());
        for (int64_t r = 0; r < rows; ++r) {
            for (int64_t s = 0; s < T; ++s) {
                bias[r * Tp + s] = shared ? S(0) : p.bias[r * T + s];
            }
        }
    }
    // The rows of the bias head that serves head h.
    int64_t head_row(const AttentionParams<S>& p, int64_t h) const {
        return (p.bias_heads == 1 ? 0 : h) * T;
    }
    const S* bias_row(int64_t row) const { return bias.data() + (shared ? 0 : row * Tp); }
};

// What one (b, h) pair reads besides qkv: Xt = Kᵀ (forward) or Vᵀ (backward), N×Tp and
// zero-padded, for the loops over keys; the backward's dS (T×Tp: every query row's, so that dK
// and dV can be summed key by key afterwards) and, per key, the first query row that sees it
// (the forward writes its scores straight into the probabilities).
template <typename S>
struct HeadScratch {
    int64_t Tp;
    std::vector<S> Xt, dS;
    std::vector<int64_t> first_row;
    HeadScratch(const AttentionParams<S>& p, bool backward)
        : Tp(padded(p.T)),
          Xt(Tp * p.N, S(0)),
          dS(backward ? p.T * Tp : 0),
          first_row(backward ? p.T : 0) {}
};

// out[s] = Σ_n x[n]·M[n, s] for s < len (a multiple of kKeyPad), M (N×ld) row-major. A block
// of kKeyPad sums stays in registers over n, as four partial sums (n mod 4): one chain of N
// dependent multiply-adds per block made these loops wait on the adder's latency.
// Always inlined: the caller is built per instruction set (STATETRACK_TARGET_CLONES), an
// out-of-line copy only for the baseline.
template <typename S>
__attribute__((always_inline)) inline void row_times(const S* x, const S* M, int64_t N, int64_t ld,
                                                     int64_t len, S* out) {
    for (int64_t s0 = 0; s0 < len; s0 += kKeyPad) {
        Block<S> a0{}, a1{}, a2{}, a3{};
        int64_t n = 0;
        for (; n + 4 <= N; n += 4) {
            a0 += x[n] * load_block(M + n * ld + s0);
            a1 += x[n + 1] * load_block(M + (n + 1) * ld + s0);
            a2 += x[n + 2] * load_block(M + (n + 2) * ld + s0);
            a3 += x[n + 3] * load_block(M + (n + 3) * ld + s0);
        }
        for (; n < N; ++n) {
            a0 += x[n] * load_block(M + n * ld + s0);
        }
        store_block(out + s0, (a0 + a1) + (a2 + a3));
    }
}

// Every lane set to the reduction of all of b's lanes by op (sum, maximum): op of b and b with
// its lanes swapped at distance 8, 4, 2, 1. A fixed order on every instruction set, four steps
// deep where a lane-by-lane loop was a chain of 15 dependent adds.
template <typename S, typename Op>
__attribute__((always_inline)) inline Block<S> all_lanes(Block<S> b, Op op) {
    using Lanes = typename BlockOf<S>::lanes;
    static_assert(kKeyPad == 16, "the butterfly below is written for 16 lanes");
    const Lanes lane = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    b = op(b, __builtin_shuffle(b, lane ^ 8));
    b = op(b, __builtin_shuffle(b, lane ^ 4));
    b = op(b, __builtin_shuffle(b, lane ^ 2));
    return op(b, __builtin_shuffle(b, lane ^ 1));
}

template <typename S>
__attribute__((always_inline)) inline Block<S> all_lanes_sum(const Block<S>& b) {
    return all_lanes<S>(b, [](const Block<S>& x, const Block<S>& y) { return x + y; });
}

// The softmax of scale·x + bias over a row of len (a multiple of kKeyPad) in place, in whole
// blocks: bias is -inf past the row's keys and at masked ones, whose probabilities are 0.
// len > 0 needs a key whose bias is finite (the key ends guarantee one); len 0 does nothing.
template <typename S>
__attribute__((always_inline)) inline void softmax_row(S* x, const S* bias, S scale, int64_t len) {
    const Block<S> lowest = Block<S>{} + minus_inf<S>();
    Block<S> top = lowest;
    for (int64_t s0 = 0; s0 < len; s0 += kKeyPad) {
        const Block<S> v = load_block(x + s0) * scale + load_block(bias + s0);
        store_block(x + s0, v);
        top = v > top ? v : top;
    }
    const S m =
        all_lanes<S>(top, [](const Block<S>& x, const Block<S>& y) { return x > y ? x : y; })[0];
    // exp_of vectorises over the fixed kKeyPad lanes; a std::exp per score was a library call
    // each (about 2% of the Transformer's training step at the quick shape).
    Block<S> sum{};
    for (int64_t s0 = 0; s0 < len; s0 += kKeyPad) {
        S* e = x + s0;
        for (int64_t l = 0; l < kKeyPad; ++l) {
            e[l] = e[l] == minus_inf<S>() ? S(0) : exp_of(e[l] - m);
        }
        sum += load_block(e);
    }
    const Block<S> inv = S(1) / all_lanes_sum<S>(sum);
    for (int64_t s0 = 0; s0 < len; s0 += kKeyPad) {
        store_block(x + s0, load_block(x + s0) * inv);
    }
}

// out (N) = Σ_{s < count} w[s·step]·rows[s] (rows ld apart). With the head size known at
// compile time (kN > 0) the sums are whole vectors in registers, two partial sums (s even, odd)
// so that consecutive rows do not wait on each other (four, with up to three rows left to one
// chain, made the backward's dQ ~20% slower in training runs, where most rows have few keys);
// otherwise they accumulate in out.
template <typename S, int kN>
__attribute__((always_inline)) inline void weighted_sum(const S* w, int64_t step, const S* rows,
                                                        int64_t ld, int64_t count, int64_t N,
                                                        S* out) {
    if constexpr (kN > 0) {
        typedef S Row __attribute__((vector_size(kN * sizeof(S))));
        const auto row = [&](int64_t s) {
            Row r;
            __builtin_memcpy(&r, rows + s * ld, sizeof r);
            return w[s * step] * r;
        };
        Row a0{}, a1{};
        int64_t s = 0;
        for (; s + 2 <= count; s += 2) {
            a0 += row(s);
            a1 += row(s + 1);
        }
        if (s < count) {
            a0 += row(s);
        }
        const Row sum = a0 + a1;
        __builtin_memcpy(out, &sum, sizeof sum);
    } else {
        for (int64_t n = 0; n < N; ++n) {
            out[n] = 0;
        }
        for (int64_t s = 0; s < count; ++s) {
            for (int64_t n = 0; n < N; ++n) {
                out[n] += w[s * step] * rows[s * ld + n];
            }
        }
    }
}

// Xt (N×Tp) = the transpose of q, k or v (j = 0, 1, 2) of head h over b's positions.
template <typename S, int kN>
inline void transpose_head(const AttentionParams<S>& p, int64_t b, int64_t h, int64_t j,
                           HeadScratch<S>& w) {
    const int64_t N = kN > 0 ? kN : p.N;
    for (int64_t t = 0; t < p.T; ++t) {
        const S* x = p.qkv + qkv_offset(p, b, t, j, h);
        for (int64_t n = 0; n < N; ++n) {
            w.Xt[n * w.Tp + t] = x[n];
        }
    }
}

template <typename S, int kN>
STATETRACK_TARGET_CLONES void head_forward(const AttentionParams<S>& p, int64_t b, int64_t h,
                                           const KeyRows<S>& keys, HeadScratch<S>& w, S* y) {
    const int64_t T = p.T, Tp = w.Tp, N = kN > 0 ? kN : p.N, C = p.H * p.N, ld = 3 * C;
    transpose_head<S, kN>(p, b, h, 1, w);
    const int64_t first = keys.head_row(p, h);
    for (int64_t t = 0; t < T; ++t) {
        const int64_t end = keys.ends[first + t], len = padded(end);
        S* prob = p.probs + ((b * p.H + h) * T + t) * Tp;
        std::fill(prob + len, prob + Tp, S(0));  // a row without keys (end 0): all of it, y = 0
        row_times(p.qkv + qkv_offset(p, b, t, 0, h), w.Xt.data(), N, Tp, len, prob);
        softmax_row(prob, keys.bias_row(first + t), p.scale, len);
        weighted_sum<S, kN>(prob, 1, p.qkv + qkv_offset(p, b, 0, 2, h), ld, end, N,
                            y + (b * T + t) * C + h * N);
    }
}

// Query rows first: dS and dQ row by row. Then keys: dV[s] = Σ_t P[t, s]·dy_t and
// dK[s] = Σ_t dS[t, s]·q_t over the rows from the first that sees key s, as sums in registers
// (adding each row's share into dK and dV rows in memory, a load and a store per key and row, was
// ~30% of this function). Rows past a row's keys hold exact zeros in P and dS, so the sums over
// whole row ranges add nothing there.
template <typename S, int kN>
STATETRACK_TARGET_CLONES void head_backward(const AttentionParams<S>& p, int64_t b, int64_t h,
                                            const KeyRows<S>& keys, HeadScratch<S>& w, const S* dy,
                                            S* dqkv) {
    const int64_t T = p.T, Tp = w.Tp, N = kN > 0 ? kN : p.N, C = p.H * p.N, ld = 3 * C;
    transpose_head<S, kN>(p, b, h, 2, w);
    const int64_t first = keys.head_row(p, h);
    const S* P = p.probs + (b * p.H + h) * T * Tp;
    for (int64_t t = 0; t < T; ++t) {
        const int64_t end = keys.ends[first + t], len = padded(end);
        const S* prob = P + t * Tp;
        S* dS = w.dS.data() + t * Tp;  // dP, then dS in place
        row_times(dy + (b * T + t) * C + h * N, w.Xt.data(), N, Tp, len, dS);
        // Past end (padding, masked keys) the probabilities are 0, so whole blocks are exact.
        Block<S> acc{};
        for (int64_t s0 = 0; s0 < len; s0 += kKeyPad) {
            acc += load_block(prob + s0) * load_block(dS + s0);
        }
        const Block<S> dot = all_lanes_sum<S>(acc);
        for (int64_t s0 = 0; s0 < len; s0 += kKeyPad) {
            store_block(dS + s0, load_block(prob + s0) * (load_block(dS + s0) - dot) * p.scale);
        }
        std::fill(dS + len, dS + Tp, S(0));
        weighted_sum<S, kN>(dS, 1, p.qkv + qkv_offset(p, b, 0, 1, h), ld, end, N,
                            dqkv + qkv_offset(p, b, t, 0, h));
    }
    // first_row[s]: the first query row whose keys reach past s (T: none).
    int64_t reach = 0;
    for (int64_t t = 0; t < T; ++t) {
        for (; reach < keys.ends[first + t]; ++reach) {
            w.first_row[reach] = t;
        }
    }
    std::fill(w.first_row.begin() + reach, w.first_row.end(), T);
    for (int64_t s = 0; s < T; ++s) {
        const int64_t t0 = w.first_row[s], rows = T - t0;
        weighted_sum<S, kN>(P + t0 * Tp + s, Tp, dy + (b * T + t0) * C + h * N, C, rows, N,
                            dqkv + qkv_offset(p, b, s, 2, h));
        weighted_sum<S, kN>(w.dS.data() + t0 * Tp + s, Tp, p.qkv + qkv_offset(p, b, t0, 0, h), ld,
                            rows, N, dqkv + qkv_offset(p, b, s, 1, h));
    }
}

// The head loops for head size N: compiled for the common sizes, generic otherwise.
template <typename S>
using HeadForwardFn = void (*)(const AttentionParams<S>&, int64_t, int64_t, const KeyRows<S>&,
                               HeadScratch<S>&, S*);
template <typename S>
using HeadBackwardFn = void (*)(const AttentionParams<S>&, int64_t, int64_t, const KeyRows<S>&,
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

// Rotates q and k of every head at one position, n contiguous values (pairs never straddle a
// head, N being even): c[m] = cos of m's pair, s[m] = ∓sin (even m: −sin, odd: +sin), so
// out[m] = x[m]·c[m] + x[m ^ 1]·s[m]; whole blocks with the pairs swapped by one shuffle. Each
// block or pair is read before it is written, so out may be in.
template <typename S>
STATETRACK_TARGET_CLONES void rope_position(const S* in, S* out, int64_t n, const S* c,
                                            const S* s) {
    using Lanes = typename BlockOf<S>::lanes;
    const Lanes swap = Lanes{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15} ^ 1;
    int64_t m = 0;
    for (; m + kKeyPad <= n; m += kKeyPad) {
        const Block<S> x = load_block(in + m);
        store_block(out + m,
                    x * load_block(c + m) + __builtin_shuffle(x, swap) * load_block(s + m));
    }
    for (; m < n; m += 2) {
        const S even = in[m], odd = in[m + 1];
        out[m] = even * c[m] + odd * s[m];
        out[m + 1] = odd * c[m + 1] + even * s[m + 1];
    }
}

}  // namespace

int64_t attention_probs_stride(int64_t T) { return padded(T); }

template <typename S>
void rope_qk_cpu(const S* in, S* out, int64_t B, int64_t T, int64_t H, int64_t N, const S* cos,
                 const S* sin, int direction) {
    const int64_t C = H * N;
    at::parallel_for(0, T, 1, [&](int64_t begin, int64_t end) {
        std::vector<S> c(2 * C), s(2 * C);  // the position's tables repeated for the 2H vectors
        for (int64_t t = begin; t < end; ++t) {
            for (int64_t m = 0; m < 2 * C; ++m) {
                const int64_t i = (m % N) / 2;
                c[m] = cos[t * (N / 2) + i];
                s[m] = (m % 2 == 0 ? -direction : direction) * sin[t * (N / 2) + i];
            }
            for (int64_t b = 0; b < B; ++b) {
                const int64_t row = (b * T + t) * 3 * C;
                rope_position(in + row, out + row, 2 * C, c.data(), s.data());
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
    const KeyRows<S> keys(p, /*forward=*/true);
    at::parallel_for(0, p.B * p.H, 1, [&](int64_t begin, int64_t end) {
        HeadScratch<S> scratch(p, /*backward=*/false);
        for (int64_t bh = begin; bh < end; ++bh) {
            head(p, bh / p.H, bh % p.H, keys, scratch, y);
        }
    });
}

template <typename S>
void attention_backward_cpu(const AttentionParams<S>& p, const S* dy, S* dqkv) {
    const HeadBackwardFn<S> head = head_fns<S>(p.N).second;
    const KeyRows<S> keys(p, /*forward=*/false);
    at::parallel_for(0, p.B * p.H, 1, [&](int64_t begin, int64_t end) {
        HeadScratch<S> scratch(p, /*backward=*/true);
        for (int64_t bh = begin; bh < end; ++bh) {
            head(p, bh / p.H, bh % p.H, keys, scratch, dy, dqkv);
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
