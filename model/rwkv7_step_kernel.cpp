// The fused RWKV-7 step (see rwkv7_step_kernel.h). The equations are Rwkv7TimeMix's and
// Rwkv7ChannelMix's (docs/rwkv7.md §3-§4), written for one token as plain loops:
//   time mix   xx = x_prev − x; x_μ = x + xx·μ; r k v = x_μ·W; d = w0 + tanh(x_w·w1)·w2;
//              v ← v + (v_first − v)·σ(v0 + x_v·v1·v2) (layers > 0); a = s·σ(a0 + x_a·a1·a2);
//              g = σ(x_g·g1)·g2; κ̂ = normalize(k ⊙ k_k) per head; k̃ = k ⊙ (1 + (a − 1)·k_a);
//              w = exp(−e^{−1/2}·σ(d)) (or exp(−exp(d − 1/2)) without the clamp);
//              S ← S·diag(w) + (S·(−κ̂))(κ̂ ⊙ a)ᵀ + v k̃ᵀ; y = S r; y = GroupNorm(y) +
//              (Σ r ⊙ k̃ ⊙ r_k)·v per head; out = (y ⊙ g)·W_o
//   channel mix  xx = x_prev − x; k = relu((x + xx·μ_k)·W_k)²; out = k·W_v
// Matrix products read each weight row once for all B sequences. The hot loops
// (rwkv7_step_loops.inc) are built per instruction set (AVX-512, AVX2+FMA, baseline) and
// chosen at run time, like the WKV7 kernel's, so the build flags stay portable.
#include "model/rwkv7_step_kernel.h"

#include <algorithm>
#include <cmath>

namespace statetrack::model {
namespace {

constexpr float kDecayScale = 0.6065306597126334f;  // e^{-1/2}
constexpr float kLayerNormEps = 1e-5f;
constexpr float kGroupNormEps = 64e-5f;
constexpr float kNormalizeEps = 1e-12f;

namespace baseline {
#include "model/rwkv7_step_loops.inc"
}  // namespace baseline

// Per-function target pragmas and __builtin_cpu_supports are GCC-on-x86 features; elsewhere
// only the baseline loops are built.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define STATETRACK_STEP_X86_ISAS 1
#pragma GCC push_options
#pragma GCC target("avx2,fma")
namespace avx2 {
#include "model/rwkv7_step_loops.inc"
}  // namespace avx2
#pragma GCC pop_options
#pragma GCC push_options
#pragma GCC target("avx512f,avx2,fma")
namespace avx512 {
#include "model/rwkv7_step_loops.inc"
}  // namespace avx512
#pragma GCC pop_options
#else
#define STATETRACK_STEP_X86_ISAS 0
#endif

// The widest loops this machine runs, chosen once.
struct Loops {
    decltype(&baseline::matmul) matmul;
    decltype(&baseline::dot) dot;
    decltype(&baseline::wkv_head) wkv_head;
    decltype(&baseline::relu_square) relu_square;
};

const Loops& loops() {
    static const Loops chosen = [] {
#if STATETRACK_STEP_X86_ISAS
        __builtin_cpu_init();
        if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma")) {
            return Loops{avx512::matmul, avx512::dot, avx512::wkv_head, avx512::relu_square};
        }
        if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
            return Loops{avx2::matmul, avx2::dot, avx2::wkv_head, avx2::relu_square};
        }
#endif
        return Loops{baseline::matmul, baseline::dot, baseline::wkv_head, baseline::relu_square};
    }();
    return chosen;
}

void matmul(const float* x, int64_t batch, int64_t in, const float* w, int64_t out, float* y) {
    loops().matmul(x, batch, in, w, out, y);
}

float dot(const float* x, const float* y, int64_t n) { return loops().dot(x, y, n); }

// Normalises each group of `size` values to mean 0 and variance 1 (biased), then scales.
void group_norm(const float* x, int64_t groups, int64_t size, const float* weight,
                const float* bias, float eps, float* y) {
    for (int64_t g = 0; g < groups; ++g) {
        const float* xg = x + g * size;
        double mean = 0.0;
        for (int64_t i = 0; i < size; ++i) {
            mean += xg[i];
        }
        mean /= static_cast<double>(size);
        double var = 0.0;
        for (int64_t i = 0; i < size; ++i) {
            var += (xg[i] - mean) * (xg[i] - mean);
        }
        var /= static_cast<double>(size);
        const double inv = 1.0 / std::sqrt(var + eps);
        for (int64_t i = 0; i < size; ++i) {
            const int64_t c = g * size + i;
            y[c] = static_cast<float>((xg[i] - mean) * inv) * weight[c] + bias[c];
        }
    }
}

// LayerNorm of every row: one group per row.
void layer_norm_rows(const float* x, int64_t batch, int64_t C, const float* weight,
                     const float* bias, float* y) {
    for (int64_t b = 0; b < batch; ++b) {
        group_norm(x + b * C, 1, C, weight, bias, kLayerNormEps, y + b * C);
    }
}

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

// Scratch: every intermediate (B,·) row block. Kept per thread and only ever grown, so a
// step allocates nothing; every value is written before it is read.
struct Scratch {
    void reserve(const Rwkv7StepShape& shape, int64_t batch) {
        const auto grow = [batch](std::vector<float>& v, int64_t width) {
            if (v.size() < static_cast<size_t>(batch * width)) {
                v.resize(static_cast<size_t>(batch * width));
            }
        };
        for (std::vector<float>* v : {&x, &xn, &xr, &xw, &xk, &xv, &xa, &xg, &r, &d, &k, &val,
                                      &v_first, &iclr, &gate, &kk, &aa, &bb, &y, &yn, &out}) {
            grow(*v, shape.d_model);
        }
        grow(low, std::max({shape.dim_w, shape.dim_a, shape.dim_v, shape.dim_g}));
        grow(ffn, shape.d_ffn);
    }
    std::vector<float> x, xn, xr, xw, xk, xv, xa, xg, r, d, k, val, v_first, iclr, gate, kk, aa,
        bb, y, yn, out, low, ffn;
};

// out (B,C) = act(x (B,C) · first (C,D)) · second (D,C).
template <typename Act>
void lora(const float* x, int64_t batch, int64_t C, const float* first, const float* second,
          int64_t D, Act act, std::vector<float>& low, float* out) {
    matmul(x, batch, C, first, D, low.data());
    for (int64_t i = 0; i < batch * D; ++i) {
        low[static_cast<size_t>(i)] = act(low[static_cast<size_t>(i)]);
    }
    matmul(low.data(), batch, D, second, C, out);
}

}  // namespace

namespace {

// Calls f(i, c) for every element i = b·C + c of a (B,C) block.
template <typename F>
void for_each_element(int64_t batch, int64_t C, F f) {
    for (int64_t b = 0; b < batch; ++b) {
        for (int64_t c = 0; c < C; ++c) {
            f(b * C + c, c);
        }
    }
}

// The WKV inputs of one layer for the B rows of s.xn (ln1's output); sets s.r s.k s.val s.iclr
// s.gate s.kk s.d (the decay) and updates att_x_prev.
void time_mix_inputs(const Rwkv7StepWeights& w, const Rwkv7StepLayerWeights& lw, bool first_layer,
                     int64_t batch, float* att_x_prev, Scratch& s) {
    const int64_t C = w.shape.d_model;
    const int64_t BC = batch * C;
    for_each_element(batch, C, [&](int64_t i, int64_t c) {
        const float x = s.xn[i];
        const float xx = att_x_prev[i] - x;
        s.xr[i] = x + xx * lw.x_r[c];
        s.xw[i] = x + xx * lw.x_w[c];
        s.xk[i] = x + xx * lw.x_k[c];
        s.xv[i] = x + xx * lw.x_v[c];
        s.xa[i] = x + xx * lw.x_a[c];
        s.xg[i] = x + xx * lw.x_g[c];
        att_x_prev[i] = x;
    });
    matmul(s.xr.data(), batch, C, lw.receptance, C, s.r.data());
    matmul(s.xk.data(), batch, C, lw.key, C, s.k.data());
    matmul(s.xv.data(), batch, C, lw.value, C, s.val.data());
    const auto identity = [](float v) { return v; };
    const auto tanh = [](float v) { return std::tanh(v); };
    lora(s.xw.data(), batch, C, lw.w1, lw.w2, w.shape.dim_w, tanh, s.low, s.d.data());
    lora(s.xa.data(), batch, C, lw.a1, lw.a2, w.shape.dim_a, identity, s.low, s.iclr.data());
    lora(s.xg.data(), batch, C, lw.g1, lw.g2, w.shape.dim_g, sigmoid, s.low, s.gate.data());
    if (first_layer) {
        std::copy(s.val.begin(), s.val.begin() + BC, s.v_first.begin());
    } else if (w.shape.value_residual) {
        lora(s.xv.data(), batch, C, lw.v1, lw.v2, w.shape.dim_v, identity, s.low, s.out.data());
        for_each_element(batch, C, [&](int64_t i, int64_t c) {
            const float g = sigmoid(lw.v0[c] + s.out[i]);
            s.val[i] = s.val[i] + (s.v_first[i] - s.val[i]) * g;
        });
    }
    const float iclr_scale = w.shape.extended_eigenvalues ? 2.0f : 1.0f;
    for_each_element(batch, C, [&](int64_t i, int64_t c) {
        s.iclr[i] = iclr_scale * sigmoid(lw.a0[c] + s.iclr[i]);
        s.kk[i] = s.k[i] * lw.k_k[c];
        s.k[i] = s.k[i] * (1.0f + (s.iclr[i] - 1.0f) * lw.k_a[c]);
        const float d = lw.w0[c] + s.d[i];
        s.d[i] = w.shape.decay_clamp ? std::exp(-kDecayScale * sigmoid(d))
                               : std::exp(-std::exp(d - 0.5f));
    });
}

// The time mix's residual update of one layer into s.out (B,C).
void time_mix(const Rwkv7StepWeights& w, const Rwkv7StepLayerWeights& lw, bool first_layer,
              int64_t batch, const Rwkv7StepLayerState& state, Scratch& s) {
    const int64_t C = w.shape.d_model;
    const int64_t H = w.shape.n_heads;
    const int64_t N = w.shape.head_size;
    time_mix_inputs(w, lw, first_layer, batch, state.att_x_prev, s);
    for (int64_t bh = 0; bh < batch * H; ++bh) {
        const int64_t o = bh * N;  // this head's offset in the (B,C) rows
        float* kk = s.kk.data() + o;
        const float norm = std::max(std::sqrt(dot(kk, kk, N)), kNormalizeEps);
        for (int64_t n = 0; n < N; ++n) {
            kk[n] /= norm;
            s.aa[o + n] = w.shape.diagonal_transition ? 0.0f : -kk[n];
            s.bb[o + n] = w.shape.diagonal_transition ? 0.0f : kk[n] * s.iclr[o + n];
        }
        loops().wkv_head(state.wkv + bh * N * N, s.r.data() + o, s.d.data() + o, s.k.data() + o,
                 s.val.data() + o, s.aa.data() + o, s.bb.data() + o, N, s.y.data() + o);
    }
    for (int64_t b = 0; b < batch; ++b) {
        const int64_t row = b * C;
        group_norm(s.y.data() + row, H, N, lw.ln_x_weight, lw.ln_x_bias, kGroupNormEps,
                   s.yn.data() + row);
        for (int64_t h = 0; h < H && w.shape.bonus; ++h) {
            const int64_t o = row + h * N;
            float bonus = 0.0f;
            for (int64_t n = 0; n < N; ++n) {
                bonus += s.r[o + n] * s.k[o + n] * lw.r_k[h * N + n];
            }
            for (int64_t n = 0; n < N; ++n) {
                s.yn[o + n] += bonus * s.val[o + n];
            }
        }
        for (int64_t c = 0; c < C; ++c) {
            s.yn[row + c] *= s.gate[row + c];
        }
    }
    matmul(s.yn.data(), batch, C, lw.output, C, s.out.data());
}

// The channel mix's residual update of one layer into s.out (B,C), from s.xn (ln2's output).
void channel_mix(const Rwkv7StepWeights& w, const Rwkv7StepLayerWeights& lw, int64_t batch,
                 float* ffn_x_prev, Scratch& s) {
    const int64_t C = w.shape.d_model;
    for_each_element(batch, C, [&](int64_t i, int64_t c) {
        const float x = s.xn[i];
        s.xk[i] = x + (ffn_x_prev[i] - x) * lw.ffn_x_k[c];
        ffn_x_prev[i] = x;
    });
    matmul(s.xk.data(), batch, C, lw.ffn_key, w.shape.d_ffn, s.ffn.data());
    loops().relu_square(s.ffn.data(), batch * w.shape.d_ffn);
    matmul(s.ffn.data(), batch, w.shape.d_ffn, lw.ffn_value, C, s.out.data());
}

void add_into(std::vector<float>& x, const std::vector<float>& update, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
        x[i] += update[i];
    }
}

}  // namespace

void rwkv7_step_kernel(const Rwkv7StepWeights& w, const int64_t* tokens, int64_t batch,
                       const std::vector<Rwkv7StepLayerState>& state, float* logits) {
    const int64_t C = w.shape.d_model;
    const int64_t BC = batch * C;
    thread_local Scratch s;
    s.reserve(w.shape, batch);
    for (int64_t b = 0; b < batch; ++b) {
        std::copy(w.emb + tokens[b] * C, w.emb + (tokens[b] + 1) * C, s.x.begin() + b * C);
    }
    for (size_t l = 0; l < w.layers.size(); ++l) {
        const Rwkv7StepLayerWeights& lw = w.layers[l];
        if (l == 0) {
            layer_norm_rows(s.x.data(), batch, C, lw.ln0_weight, lw.ln0_bias, s.x.data());
        }
        layer_norm_rows(s.x.data(), batch, C, lw.ln1_weight, lw.ln1_bias, s.xn.data());
        time_mix(w, lw, l == 0, batch, state[l], s);
        add_into(s.x, s.out, BC);
        layer_norm_rows(s.x.data(), batch, C, lw.ln2_weight, lw.ln2_bias, s.xn.data());
        channel_mix(w, lw, batch, state[l].ffn_x_prev, s);
        add_into(s.x, s.out, BC);
    }
    layer_norm_rows(s.x.data(), batch, C, w.ln_out_weight, w.ln_out_bias, s.xn.data());
    matmul(s.xn.data(), batch, C, w.head, w.shape.vocab_size, logits);
}

}  // namespace statetrack::model
