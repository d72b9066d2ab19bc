// Building blocks of the CUDA WKV7 programs (wkv7_cuda_forward.h, wkv7_cuda_backward.h): index
// arithmetic, I/O element access, and the per-thread row operations. Everything is
// __host__ __device__ under nvcc and plain inline C++ under a host compiler, so the same program
// text runs on the GPU (wkv7_cuda_*.cu) and, for tests without a GPU, on the CPU
// (wkv7_cuda_emulate.h). No torch include, no CUDA runtime API.
//
// Shapes and layouts as in kernels/wkv7_params.h: B batch, T steps, H heads, N head size,
// C = ceil(T / 16) checkpoints. Every offset is int64_t. Arithmetic is spelled out with fmaf
// (and plain products only as fmaf operands), so the device and the host emulation round alike.
#pragma once

#include <cmath>
#include <cstdint>

#include "kernels/cuda/wkv7_bf16.h"
#include "kernels/wkv7_params.h"

#if defined(__CUDACC__)
#include <cuda_bf16.h>
#define WKV7_HD __host__ __device__ __forceinline__
#else
#define WKV7_HD inline
#endif
// Full unrolling keeps the per-thread rows in registers on the device (device pass only).
#if defined(__CUDA_ARCH__)
#define WKV7_UNROLL _Pragma("unroll")
#else
#define WKV7_UNROLL
#endif

namespace statetrack::kernels::wkv7_cuda {

inline constexpr int kChunk = static_cast<int>(kWkv7ChunkLen);

// The backward's workspace per (b, h), in N×N float blocks: the kChunk states of the chunk being
// replayed, then the carried dL/dS parked during the replay (once by rows, once by columns).
inline constexpr int64_t kWorkspaceBlocks = kWkv7ChunkLen + 2;

WKV7_HD int64_t min64(int64_t x, int64_t y) { return x < y ? x : y; }

// wkv7_num_chunks (a host constexpr function) for device code.
WKV7_HD int64_t num_chunks(int64_t T) { return (T + kWkv7ChunkLen - 1) / kWkv7ChunkLen; }

// Where one (b, h) pair's data lives: the block for bh = b·H + h.
struct HeadLayout {
    int64_t token0;  // (b, t = 0, h, n = 0) in the (B,T,H,N) arrays
    int64_t stride;  // H·N: from token t to t + 1
    int64_t state;   // (b, h) in the (B,H,N,N) arrays
    int64_t chunks;  // (b, h, c = 0) in the (B,H,C,N,N) checkpoints
};

template <int N, typename P>
WKV7_HD HeadLayout head_layout(const P& p, int64_t bh) {
    const int64_t batch = bh / p.H, head = bh % p.H;
    const int64_t nn = int64_t{N} * N;
    return {(batch * p.T * p.H + head) * N, p.H * N, bh * nn, bh * num_chunks(p.T) * nn};
}

// Element access of the (B,T,H,N) arrays; computation is always in float.
template <typename IO>
struct Io;
template <>
struct Io<float> {
    WKV7_HD static float load(const float* p, int64_t i) { return p[i]; }
    WKV7_HD static void store(float* p, int64_t i, float x) { p[i] = x; }
};
template <>
struct Io<Wkv7Bf16> {
    WKV7_HD static float load(const Wkv7Bf16* p, int64_t i) {
#if defined(__CUDA_ARCH__)
        return __bfloat162float(reinterpret_cast<const __nv_bfloat16*>(p)[i]);
#else
        return wkv7_bf16_to_float(p[i]);
#endif
    }
    WKV7_HD static void store(Wkv7Bf16* p, int64_t i, float x) {
#if defined(__CUDA_ARCH__)
        reinterpret_cast<__nv_bfloat16*>(p)[i] = __float2bfloat16_rn(x);
#else
        p[i] = wkv7_bf16_from_float(x);
#endif
    }
};

// One token's key- and value-side inputs at index n of one head (a thread's own elements).
struct StepInputs {
    float r, w, k, v, a, b;
};
template <typename IO>
WKV7_HD StepInputs load_step(const Wkv7ForwardParams<IO, float>& p, int64_t off) {
    using L = Io<IO>;
    return {L::load(p.r, off), L::load(p.w, off), L::load(p.k, off),
            L::load(p.v, off), L::load(p.a, off), L::load(p.b, off)};
}

// Σ_j x_j s_j in four interleaved chains (a short dependency chain per thread).
template <int N>
WKV7_HD float dot(const float* x, const float (&s)[N]) {
    float acc0 = 0.f, acc1 = 0.f, acc2 = 0.f, acc3 = 0.f;
    WKV7_UNROLL
    for (int j = 0; j < N; j += 4) {
        acc0 = fmaf(x[j], s[j], acc0);
        acc1 = fmaf(x[j + 1], s[j + 1], acc1);
        acc2 = fmaf(x[j + 2], s[j + 2], acc2);
        acc3 = fmaf(x[j + 3], s[j + 3], acc3);
    }
    return (acc0 + acc1) + (acc2 + acc3);
}

// Row i of one step: S[i][j] ← S[i][j]·w_j + sa_i·b_j + v_i·k_j. The forward and the backward's
// replay both call this, so the replayed states equal the forward's bit for bit.
template <int N>
WKV7_HD void update_row(float (&s)[N], const float* w, const float* b, const float* k, float sa,
                        float v) {
    WKV7_UNROLL
    for (int j = 0; j < N; ++j) {
        s[j] = fmaf(s[j], w[j], fmaf(sa, b[j], k[j] * v));
    }
}

// x[j] = src[j·stride] (zeros for a null src), and its inverse. With src at element i of an N×N
// array, stride N reads thread i's row of a key-major array (coalesced across threads) and
// stride 1 a row of a value-major one.
template <int N>
WKV7_HD void gather(const float* src, int64_t stride, float (&x)[N]) {
    WKV7_UNROLL
    for (int j = 0; j < N; ++j) {
        x[j] = src == nullptr ? 0.f : src[j * stride];
    }
}
template <int N>
WKV7_HD void scatter(float* dst, int64_t stride, const float (&x)[N]) {
    WKV7_UNROLL
    for (int j = 0; j < N; ++j) {
        dst[j * stride] = x[j];
    }
}

// Four consecutive floats at a 16-byte aligned address (one vector load on the device).
WKV7_HD void load4(const float* p, float (&x)[4]) {
#if defined(__CUDA_ARCH__)
    const float4 q = *reinterpret_cast<const float4*>(p);
    x[0] = q.x, x[1] = q.y, x[2] = q.z, x[3] = q.w;
#else
    x[0] = p[0], x[1] = p[1], x[2] = p[2], x[3] = p[3];
#endif
}

}  // namespace statetrack::kernels::wkv7_cuda
