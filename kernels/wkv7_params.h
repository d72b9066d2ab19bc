// Raw-pointer parameters of the WKV7 kernels, shared by the CPU and CUDA backends.
// No torch include on purpose: CUDA sources include this header only, so they compile against
// any LibTorch (or none). The recurrence these pointers feed is defined in kernels/wkv7.h.
//
// Shape legend: B batch, T steps, H heads, N head size, C = ceil(T / kWkv7ChunkLen) chunks.
// Every array is dense and row-major in the order its shape is written:
//   r, w, k, v, a, b, y, dy and the input gradients:  (B, T, H, N)
//   state0, state_final, dstate_final, dstate0:       (B, H, N, N), S[i][j], i = value index
//   checkpoints:                                      (B, H, C, N, N), key-major: element
//       [b][h][c][j][i] = S[i][j] just before step c·kWkv7ChunkLen (RWKV-LM's checkpoint layout;
//       the CPU kernel keeps its working state key-major so every inner loop runs over i).
// A null state0 / dstate_final means zeros; a null dstate0 means "not needed"; a null
// checkpoints in the forward means "no backward will follow" (inference).
#pragma once

#include <cstdint>

namespace statetrack::kernels {

// Steps between two state checkpoints; the backward replays one chunk at a time from them.
inline constexpr int64_t kWkv7ChunkLen = 16;

inline constexpr int64_t wkv7_num_chunks(int64_t seq_len) {
    return (seq_len + kWkv7ChunkLen - 1) / kWkv7ChunkLen;
}

// scalar_t: element type of the (B,T,H,N) arrays; state_t: the state's (at least fp32).
// bfloat16 storage (the raw bits) for the CUDA kernels' (B,T,H,N) arrays: a 2-byte type that
// needs neither torch nor CUDA headers. The kernels convert with CUDA's bf16 intrinsics; the host
// conversions are in kernels/cuda/wkv7_bf16.h. The CPU kernel does not take it.
struct Wkv7Bf16 {
    uint16_t bits;
};

template <typename scalar_t, typename state_t = scalar_t>
struct Wkv7ForwardParams {
    int64_t B = 0, T = 0, H = 0, N = 0;

    const scalar_t* r = nullptr;  // receptance
    const scalar_t* w = nullptr;  // decay, in (0, 1]
    const scalar_t* k = nullptr;
    const scalar_t* v = nullptr;
    const scalar_t* a = nullptr;
    const scalar_t* b = nullptr;
    const state_t* state0 = nullptr;  // optional

    scalar_t* y = nullptr;
    state_t* state_final = nullptr;
    state_t* checkpoints = nullptr;
};

template <typename scalar_t, typename state_t = scalar_t>
struct Wkv7BackwardParams : Wkv7ForwardParams<scalar_t, state_t> {
    // Forward inputs and checkpoints come through the base; y and state_final are unused.
    const scalar_t* dy = nullptr;
    const state_t* dstate_final = nullptr;  // optional

    scalar_t* dr = nullptr;
    scalar_t* dw = nullptr;
    scalar_t* dk = nullptr;
    scalar_t* dv = nullptr;
    scalar_t* da = nullptr;
    scalar_t* db = nullptr;
    state_t* dstate0 = nullptr;  // optional
};

}  // namespace statetrack::kernels
