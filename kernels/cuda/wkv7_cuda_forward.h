// The forward program of one CUDA block: one (b, h) pair, N threads, thread i owning value row i
// of the state in registers (docs/rwkv7.md §11's launch, fp32 state). Written once against a
// Block policy so that it runs on the GPU (wkv7_cuda_forward.cu) and on the CPU
// (wkv7_cuda_emulate.h); contract in kernels/wkv7.h, layouts in kernels/wkv7_params.h.
//
// Block policy: Block::PerThread<T> holds one T per thread (registers on the device), and
// block.phase(f) runs f(i) for every thread i and then is a barrier (__syncthreads). Data one
// thread writes to shared or global memory is read by another only in a later phase.
//
// Per step t (checkpoint c = t / 16 of the state before the step taken when t % 16 == 0):
//   phase 1  thread i stages r_i, w_i, k_i, a_i, b_i of step t (prefetched during step t − 1)
//            in shared memory;
//   phase 2  sa_i = Σ_j a_j S[i][j];  S[i][j] ← S[i][j]·w_j + sa_i·b_j + v_i·k_j;
//            y_i = Σ_j S[i][j]·r_j;  and the loads of step t + 1 are issued.
#pragma once

#include <cstdint>

#include "kernels/cuda/wkv7_cuda_common.h"

namespace statetrack::kernels::wkv7_cuda {

// The step's key-side vectors, read by every thread (16-byte aligned for vector loads).
template <int N>
struct alignas(16) ForwardShared {
    float r[N], w[N], k[N], a[N], b[N];
};

template <int N>
struct ForwardThread {
    float s[N];       // S[i][j], j = 0 .. N-1
    StepInputs next;  // this thread's inputs of the next step
};

template <int N, typename IO, typename Block>
WKV7_HD void forward_program(Block& block, const Wkv7ForwardParams<IO, float>& p, int64_t bh,
                             ForwardShared<N>& sh) {
    const HeadLayout at = head_layout<N>(p, bh);
    const int64_t nn = int64_t{N} * N;
    typename Block::template PerThread<ForwardThread<N>> th(block);
    block.phase([&](int i) {
        ForwardThread<N>& me = th[i];
        gather<N>(p.state0 == nullptr ? nullptr : p.state0 + at.state + i * N, 1, me.s);
        me.next = load_step(p, at.token0 + i);
    });
    for (int64_t t = 0; t < p.T; ++t) {
        block.phase([&](int i) {
            ForwardThread<N>& me = th[i];
            if (p.checkpoints != nullptr && t % kWkv7ChunkLen == 0) {
                scatter<N>(p.checkpoints + at.chunks + (t / kWkv7ChunkLen) * nn + i, N, me.s);
            }
            sh.r[i] = me.next.r;
            sh.w[i] = me.next.w;
            sh.k[i] = me.next.k;
            sh.a[i] = me.next.a;
            sh.b[i] = me.next.b;
        });
        block.phase([&](int i) {
            ForwardThread<N>& me = th[i];
            const float v = me.next.v;
            const int64_t off = at.token0 + t * at.stride + i;
            if (t + 1 < p.T) {
                me.next = load_step(p, off + at.stride);
            }
            const float sa = dot<N>(sh.a, me.s);
            update_row<N>(me.s, sh.w, sh.b, sh.k, sa, v);
            Io<IO>::store(p.y, off, dot<N>(sh.r, me.s));
        });
    }
    block.phase([&](int i) { scatter<N>(p.state_final + at.state + i * N, 1, th[i].s); });
}

}  // namespace statetrack::kernels::wkv7_cuda
