// The backward program of one CUDA block: one (b, h) pair, N threads (Block policy as in
// wkv7_cuda_forward.h). The CPU kernel's algorithm (wkv7_cpu_loops.inc): chunk by chunk from
// the last, replay the chunk forward from its checkpoint keeping every state (never dividing
// by the decay), then walk it backward carrying D = dL/dS.
//
// Thread i holds row i of D (d[j] = D[i][j]) and column i (dT[j] = D[j][i]) in registers, so
// every sum below runs over one thread's registers (RWKV-LM's layout); the step's vectors are in
// shared memory. The replay runs on rows (thread i: S[i][·], as the forward) and stores each
// state key-major in the workspace: element [j][i] = S[i][j], coalesced across threads. The
// walk then reads thread i's column S[·][i] as N consecutive floats [i][0 .. N). While the
// replay runs, d and dT are parked in the workspace so that the replay's row needs no
// registers beyond them.
//
// Per step back, with Dh = D + dy rᵀ, sa = S_prev a, u = Dh b (index i = this thread):
//   phase 1  stage r, w, k, v, a, b, dy in shared memory
//   phase 2  d ← d + dy_i r;  dv_i = Σ_j d_j k_j;  u_i = Σ_j d_j b_j  (shared)
//   phase 3  dT ← dT + r_i dy;  dr_i = Σ_j S_cur[j][i] dy_j;  dk_i = Σ_j dT_j v_j;
//            db_i = Σ_j dT_j sa_j;  dw_i = Σ_j dT_j S_prev[j][i];  da_i = Σ_j S_prev[j][i] u_j;
//            dT ← dT·w_i + a_i u;  d ← d ⊙ w + u_i a        (= dL/dS before the step)
#pragma once

#include <cstdint>

#include "kernels/cuda/wkv7_cuda_common.h"

namespace statetrack::kernels::wkv7_cuda {

template <int N>
struct alignas(16) BackwardShared {
    float r[N], w[N], k[N], v[N], a[N], b[N], dy[N], u[N];
    float sa[kChunk][N];  // sa of each step of the chunk, from the replay
};

// One token's inputs of the walk back (a thread's own elements).
struct BackwardInputs {
    float r, w, k, v, a, b, dy;
};
template <typename IO>
WKV7_HD BackwardInputs load_backward_step(const Wkv7BackwardParams<IO, float>& p, int64_t off) {
    const StepInputs x = load_step<IO>(p, off);
    return {x.r, x.w, x.k, x.v, x.a, x.b, Io<IO>::load(p.dy, off)};
}

template <int N>
struct BackwardThread {
    float d[N];   // D[i][j]
    float dT[N];  // D[j][i]
    float s[N];   // replay: S[i][j]
    StepInputs next;
    BackwardInputs in, now;  // the walk's prefetched step and current step
    float u, dv;
};

// Replays steps t0 .. t0 + len − 1 from the checkpoint ckpt: states[s] = S after step t0 + s.
template <int N, typename IO, typename Block, typename Threads>
WKV7_HD void backward_replay(Block& block, Threads& th, const Wkv7BackwardParams<IO, float>& p,
                             const HeadLayout& at, const float* ckpt, int64_t t0, int len,
                             float* states, BackwardShared<N>& sh) {
    const int64_t nn = int64_t{N} * N;
    float* const park = states + kChunk * nn;
    block.phase([&](int i) {
        BackwardThread<N>& me = th[i];
        scatter<N>(park + i, N, me.d);
        scatter<N>(park + nn + i, N, me.dT);
        gather<N>(ckpt + i, N, me.s);
        me.next = load_step(p, at.token0 + t0 * at.stride + i);
    });
    for (int s = 0; s < len; ++s) {
        block.phase([&](int i) {
            const StepInputs& x = th[i].next;
            sh.w[i] = x.w, sh.k[i] = x.k, sh.a[i] = x.a, sh.b[i] = x.b;
        });
        block.phase([&](int i) {
            BackwardThread<N>& me = th[i];
            const float v = me.next.v;
            if (s + 1 < len) {
                me.next = load_step(p, at.token0 + (t0 + s + 1) * at.stride + i);
            }
            const float sa = dot<N>(sh.a, me.s);
            sh.sa[s][i] = sa;
            update_row<N>(me.s, sh.w, sh.b, sh.k, sa, v);
            scatter<N>(states + s * nn + i, N, me.s);
        });
    }
    block.phase([&](int i) {
        BackwardThread<N>& me = th[i];
        gather<N>(park + i, N, me.d);
        gather<N>(park + nn + i, N, me.dT);
        me.in = load_backward_step(p, at.token0 + (t0 + len - 1) * at.stride + i);
    });
}

// Phase 3 of one step back: prev / cur point at thread i's column of S before / after the step.
template <int N, typename IO>
WKV7_HD void backward_columns(BackwardThread<N>& me, const BackwardShared<N>& sh, int s,
                              const float* prev, const float* cur,
                              const Wkv7BackwardParams<IO, float>& p, int64_t off) {
    const BackwardInputs& x = me.now;
    float dr = 0.f, dk = 0.f, db = 0.f, dw = 0.f, da = 0.f;
    WKV7_UNROLL
    for (int j0 = 0; j0 < N; j0 += 4) {
        float c4[4], p4[4];
        load4(cur + j0, c4);
        load4(prev + j0, p4);
        WKV7_UNROLL
        for (int q = 0; q < 4; ++q) {
            const int j = j0 + q;
            dr = fmaf(c4[q], sh.dy[j], dr);
            float dh = fmaf(x.r, sh.dy[j], me.dT[j]);
            dk = fmaf(dh, sh.v[j], dk);
            db = fmaf(dh, sh.sa[s][j], db);
            dw = fmaf(dh, p4[q], dw);
            da = fmaf(p4[q], sh.u[j], da);
            me.dT[j] = fmaf(dh, x.w, x.a * sh.u[j]);
        }
    }
    WKV7_UNROLL
    for (int j = 0; j < N; ++j) {
        me.d[j] = fmaf(me.d[j], sh.w[j], me.u * sh.a[j]);
    }
    using L = Io<IO>;
    L::store(p.dr, off, dr);
    L::store(p.dw, off, dw);
    L::store(p.dk, off, dk);
    L::store(p.dv, off, me.dv);
    L::store(p.da, off, da);
    L::store(p.db, off, db);
}

// Steps back through t0 + len − 1 .. t0, after backward_replay filled states and sh.sa.
template <int N, typename IO, typename Block, typename Threads>
WKV7_HD void backward_walk(Block& block, Threads& th, const Wkv7BackwardParams<IO, float>& p,
                           const HeadLayout& at, const float* ckpt, int64_t t0, int len,
                           const float* states, BackwardShared<N>& sh) {
    const int64_t nn = int64_t{N} * N;
    for (int s = len - 1; s >= 0; --s) {
        const int64_t row = at.token0 + (t0 + s) * at.stride;  // + i: this thread's element
        block.phase([&](int i) {
            BackwardThread<N>& me = th[i];
            me.now = me.in;
            const BackwardInputs& x = me.now;
            sh.r[i] = x.r, sh.w[i] = x.w, sh.k[i] = x.k, sh.v[i] = x.v;
            sh.a[i] = x.a, sh.b[i] = x.b, sh.dy[i] = x.dy;
        });
        block.phase([&](int i) {
            BackwardThread<N>& me = th[i];
            float dv = 0.f, u = 0.f;
            WKV7_UNROLL
            for (int j = 0; j < N; ++j) {
                me.d[j] = fmaf(me.now.dy, sh.r[j], me.d[j]);
                dv = fmaf(me.d[j], sh.k[j], dv);
                u = fmaf(me.d[j], sh.b[j], u);
            }
            me.dv = dv, me.u = u;
            sh.u[i] = u;
        });
        block.phase([&](int i) {
            BackwardThread<N>& me = th[i];
            if (s > 0) {
                me.in = load_backward_step(p, row - at.stride + i);
            }
            const float* prev = (s == 0 ? ckpt : states + (s - 1) * nn) + i * N;
            backward_columns<N, IO>(me, sh, s, prev, states + s * nn + i * N, p, row + i);
        });
    }
}

// p.checkpoints from the forward on the same inputs; workspace: kWorkspaceBlocks·N² floats per
// (b, h) (this block's at bh), 16-byte aligned like p.checkpoints.
template <int N, typename IO, typename Block>
WKV7_HD void backward_program(Block& block, const Wkv7BackwardParams<IO, float>& p, int64_t bh,
                              float* workspace, BackwardShared<N>& sh) {
    const HeadLayout at = head_layout<N>(p, bh);
    const int64_t nn = int64_t{N} * N;
    float* const states = workspace + bh * kWorkspaceBlocks * nn;
    typename Block::template PerThread<BackwardThread<N>> th(block);
    block.phase([&](int i) {
        BackwardThread<N>& me = th[i];
        const float* ds = p.dstate_final == nullptr ? nullptr : p.dstate_final + at.state;
        gather<N>(ds == nullptr ? nullptr : ds + i * N, 1, me.d);
        gather<N>(ds == nullptr ? nullptr : ds + i, N, me.dT);
    });
    for (int64_t c = num_chunks(p.T) - 1; c >= 0; --c) {
        const int64_t t0 = c * kWkv7ChunkLen;
        const int len = static_cast<int>(min64(kWkv7ChunkLen, p.T - t0));
        const float* ckpt = p.checkpoints + at.chunks + c * nn;
        backward_replay<N, IO>(block, th, p, at, ckpt, t0, len, states, sh);
        backward_walk<N, IO>(block, th, p, at, ckpt, t0, len, states, sh);
    }
    if (p.dstate0 != nullptr) {
        block.phase([&](int i) { scatter<N>(p.dstate0 + at.state + i * N, 1, th[i].d); });
    }
}

}  // namespace statetrack::kernels::wkv7_cuda
