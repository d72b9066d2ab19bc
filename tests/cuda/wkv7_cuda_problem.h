// Test problems for the CUDA WKV7 kernels and their float64 oracle, without torch (the suite
// builds where LibTorch is absent). Inputs are shaped like RWKV-7's use of the op, as in
// tests/kernels/wkv7_testing.h: r, v ~ N(0, 1); k ~ N(0, 1)/2; kk ~ N(0, 1) L2-normalised per
// token and head, α ~ U(0, 1), a = −kk, b = kk·α; w from a DecayRange; state0 ~ N(0, 1)/2;
// upstream gradients dy ~ N(0, 1) (on y) and dstate_final ~ N(0, 1) (on state_final). Drawn in
// float64 from a seeded generator, then rounded to what the kernel reads (the I/O type for the
// (B,T,H,N) arrays, float32 for states), so the oracle sees exactly the kernel's inputs.
//
// The oracle is the recurrence of kernels/wkv7.h and its gradient written as plain loops over
// value-major states S[i][j] in float64, keeping every state (no checkpoints). Its gradients
// are checked against finite differences (wkv7_cuda_oracle_test.cpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "kernels/cuda/wkv7_bf16.h"
#include "kernels/wkv7_params.h"

namespace statetrack::kernels::cuda_testing {

enum class DecayRange {
    kModel,     // RWKV-7's exp(−e^{−0.5}·sigmoid(d)) ∈ (0.545, 1)
    kNearZero,  // 1e-4 · U(0.5, 1.5)
    kNearOne,   // 1 − 1e-6 · U(0, 1)
};

struct Shape {
    int64_t B, T, H, N;
    DecayRange decay = DecayRange::kModel;
    bool with_state0 = true;
};

inline std::string shape_name(const Shape& s) {
    const char* decay = s.decay == DecayRange::kModel      ? "model"
                        : s.decay == DecayRange::kNearZero ? "near0"
                                                           : "near1";
    return "B" + std::to_string(s.B) + "_T" + std::to_string(s.T) + "_H" + std::to_string(s.H) +
           "_N" + std::to_string(s.N) + "_" + decay + (s.with_state0 ? "_s0" : "");
}

enum class IoType { kFloat32, kBf16 };

// Readable parameters in gtest messages.
inline void PrintTo(const Shape& s, std::ostream* os) { *os << shape_name(s); }
inline void PrintTo(IoType io, std::ostream* os) {
    *os << (io == IoType::kFloat32 ? "float32" : "bfloat16");
}

inline double round_to(IoType io, double x) {
    const float f = static_cast<float>(x);
    return io == IoType::kFloat32 ? f : wkv7_bf16_to_float(wkv7_bf16_from_float(f));
}

struct Problem {
    Shape shape;
    IoType io;
    std::vector<double> r, w, k, v, a, b, dy;  // (B, T, H, N), values of the I/O type
    std::vector<double> state0;                // (B, H, N, N) float32 values; empty = none
    std::vector<double> dstate_final;          // (B, H, N, N) float32 values

    int64_t tokens() const { return shape.B * shape.T * shape.H * shape.N; }
    int64_t states() const { return shape.B * shape.H * shape.N * shape.N; }
    int64_t checkpoints() const { return states() * wkv7_num_chunks(shape.T); }
};

inline Problem make_problem(const Shape& s, IoType io, uint64_t seed) {
    std::mt19937_64 gen(seed);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    Problem p{s, io, {}, {}, {}, {}, {}, {}, {}, {}, {}};
    const int64_t n = p.tokens();
    for (std::vector<double>* x : {&p.r, &p.w, &p.k, &p.v, &p.a, &p.b, &p.dy}) {
        x->resize(n);
    }
    for (int64_t e = 0; e < n; ++e) {
        p.r[e] = normal(gen);
        p.k[e] = 0.5 * normal(gen);
        p.v[e] = normal(gen);
        p.dy[e] = normal(gen);
        const double u = uniform(gen);
        p.w[e] = s.decay == DecayRange::kModel
                     ? std::exp(-std::exp(-0.5) / (1.0 + std::exp(-2.0 * normal(gen))))
                 : s.decay == DecayRange::kNearZero ? 1e-4 * (0.5 + u)
                                                    : 1.0 - 1e-6 * u;
    }
    for (int64_t token = 0; token < n / s.N; ++token) {  // kk normalised per (b, t, h)
        double* kk = &p.a[token * s.N];
        double norm = 0.0;
        for (int64_t j = 0; j < s.N; ++j) {
            kk[j] = normal(gen);
            norm += kk[j] * kk[j];
        }
        for (int64_t j = 0; j < s.N; ++j) {
            kk[j] /= std::sqrt(norm);
            p.b[token * s.N + j] = kk[j] * uniform(gen);
            kk[j] = -kk[j];  // a = −kk
        }
    }
    for (std::vector<double>* x : {&p.r, &p.w, &p.k, &p.v, &p.a, &p.b, &p.dy}) {
        for (double& e : *x) {
            e = round_to(io, e);
        }
    }
    p.dstate_final.resize(p.states());
    if (s.with_state0) {
        p.state0.resize(p.states());
    }
    for (double& e : p.state0) {
        e = round_to(IoType::kFloat32, 0.5 * normal(gen));
    }
    for (double& e : p.dstate_final) {
        e = round_to(IoType::kFloat32, normal(gen));
    }
    return p;
}

// Everything a kernel run produces; layouts as in kernels/wkv7_params.h.
struct Outputs {
    std::vector<double> y, state_final, checkpoints;  // checkpoints key-major, (B, H, C, N, N)
    std::vector<double> dr, dw, dk, dv, da, db, dstate0;
};

// Forward of one head from its state0 (or zeros): S[t + 1] = state after step t, value-major.
inline std::vector<double> oracle_states(const Problem& p, int64_t bh, Outputs& out) {
    const Shape& s = p.shape;
    const int64_t N = s.N, nn = N * N, batch = bh / s.H, head = bh % s.H;
    std::vector<double> S((s.T + 1) * nn, 0.0);
    if (!p.state0.empty()) {
        std::copy(p.state0.begin() + bh * nn, p.state0.begin() + (bh + 1) * nn, S.begin());
    }
    for (int64_t t = 0; t < s.T; ++t) {
        const int64_t x = ((batch * s.T + t) * s.H + head) * N;
        const double* prev = &S[t * nn];
        double* cur = &S[(t + 1) * nn];
        for (int64_t i = 0; i < N; ++i) {
            double sa = 0.0, y = 0.0;
            for (int64_t j = 0; j < N; ++j) {
                sa += p.a[x + j] * prev[i * N + j];
            }
            for (int64_t j = 0; j < N; ++j) {
                cur[i * N + j] =
                    prev[i * N + j] * p.w[x + j] + sa * p.b[x + j] + p.v[x + i] * p.k[x + j];
                y += cur[i * N + j] * p.r[x + j];
            }
            out.y[x + i] = y;
        }
    }
    for (int64_t c = 0; c < wkv7_num_chunks(s.T); ++c) {  // key-major: [j][i] = S[i][j]
        for (int64_t i = 0; i < N; ++i) {
            for (int64_t j = 0; j < N; ++j) {
                out.checkpoints[(bh * wkv7_num_chunks(s.T) + c) * nn + j * N + i] =
                    S[c * kWkv7ChunkLen * nn + i * N + j];
            }
        }
    }
    std::copy(S.end() - nn, S.end(), out.state_final.begin() + bh * nn);
    return S;
}

// Gradients of L = Σ y·dy + Σ state_final·dstate_final for one head, walking back from T − 1.
inline void oracle_backward(const Problem& p, int64_t bh, const std::vector<double>& S,
                            Outputs& out) {
    const Shape& s = p.shape;
    const int64_t N = s.N, nn = N * N, batch = bh / s.H, head = bh % s.H;
    std::vector<double> D(p.dstate_final.begin() + bh * nn, p.dstate_final.begin() + (bh + 1) * nn);
    std::vector<double> sa(N), u(N);
    for (int64_t t = s.T - 1; t >= 0; --t) {
        const int64_t x = ((batch * s.T + t) * s.H + head) * N;
        const double* prev = &S[t * nn];
        const double* cur = &S[(t + 1) * nn];
        for (int64_t i = 0; i < N; ++i) {  // Dh = D + dy rᵀ; u = Dh b; sa = S_prev a
            sa[i] = u[i] = 0.0;
            double dv = 0.0;
            for (int64_t j = 0; j < N; ++j) {
                D[i * N + j] += p.dy[x + i] * p.r[x + j];
                sa[i] += p.a[x + j] * prev[i * N + j];
                u[i] += D[i * N + j] * p.b[x + j];
                dv += D[i * N + j] * p.k[x + j];
            }
            out.dv[x + i] = dv;
        }
        for (int64_t j = 0; j < N; ++j) {
            double dr = 0, dk = 0, db = 0, dw = 0, da = 0;
            for (int64_t i = 0; i < N; ++i) {
                dr += p.dy[x + i] * cur[i * N + j];
                dk += D[i * N + j] * p.v[x + i];
                db += D[i * N + j] * sa[i];
                dw += D[i * N + j] * prev[i * N + j];
                da += u[i] * prev[i * N + j];
            }
            out.dr[x + j] = dr, out.dk[x + j] = dk, out.db[x + j] = db;
            out.dw[x + j] = dw, out.da[x + j] = da;
        }
        for (int64_t i = 0; i < N; ++i) {  // D ← Dh diag(w) + u aᵀ
            for (int64_t j = 0; j < N; ++j) {
                D[i * N + j] = D[i * N + j] * p.w[x + j] + u[i] * p.a[x + j];
            }
        }
    }
    std::copy(D.begin(), D.end(), out.dstate0.begin() + bh * nn);
}

inline Outputs wkv7_oracle(const Problem& p, bool with_backward = true) {
    Outputs out;
    out.y.resize(p.tokens());
    out.state_final.resize(p.states());
    out.checkpoints.resize(p.checkpoints());
    if (with_backward) {
        for (std::vector<double>* g : {&out.dr, &out.dw, &out.dk, &out.dv, &out.da, &out.db}) {
            g->resize(p.tokens());
        }
        out.dstate0.resize(p.states());
    }
    for (int64_t bh = 0; bh < p.shape.B * p.shape.H; ++bh) {
        const std::vector<double> S = oracle_states(p, bh, out);
        if (with_backward) {
            oracle_backward(p, bh, S, out);
        }
    }
    return out;
}

}  // namespace statetrack::kernels::cuda_testing
