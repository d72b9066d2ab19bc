// Raw-pointer parameters of the selective-scan kernels (the recurrence is defined in
// kernels/selective_scan.h). No torch include on purpose, as wkv7_params.h: a future CUDA
// backend includes this header only.
//
// Shape legend: B batch, T steps, D channels, S state size per channel,
// K = ceil(T / kSelectiveScanChunkLen) checkpoints. Every array is dense and row-major in the
// order its shape is written:
//   u, delta, y, dy, du, ddelta:          (B, T, D)
//   Bm, Cm, dBm, dCm:                      (B, T, S)
//   A, dA:                                 (D, S)
//   Dskip, dDskip:                         (D)
//   h0, h_final, dh_final, dh0:            (B, D, S)
//   checkpoints:                           (B, D, K, S): h just before step
//   k·kSelectiveScanChunkLen
// A null h0 / dh_final means zeros; a null dh0 means "not needed"; a null checkpoints in the
// forward means "no backward will follow" (inference).
#pragma once

#include <cstdint>

namespace statetrack::kernels {

// Steps between two state checkpoints; the backward replays one chunk at a time from them.
inline constexpr int64_t kSelectiveScanChunkLen = 16;

inline constexpr int64_t selective_scan_num_chunks(int64_t seq_len) {
    return (seq_len + kSelectiveScanChunkLen - 1) / kSelectiveScanChunkLen;
}

// scalar_t: element type of every array, inputs and state alike (float or double).
template <typename scalar_t>
struct SelectiveScanForwardParams {
    int64_t B = 0, T = 0, D = 0, S = 0;
    bool negative_eigenvalues = false;  // a = 2·exp(delta·A) − 1 instead of exp(delta·A)

    const scalar_t* u = nullptr;
    const scalar_t* delta = nullptr;  // > 0 (the model applies softplus)
    const scalar_t* A = nullptr;
    const scalar_t* Bm = nullptr;
    const scalar_t* Cm = nullptr;
    const scalar_t* Dskip = nullptr;
    const scalar_t* h0 = nullptr;  // optional

    scalar_t* y = nullptr;
    scalar_t* h_final = nullptr;
    scalar_t* checkpoints = nullptr;  // optional
};

template <typename scalar_t>
struct SelectiveScanBackwardParams : SelectiveScanForwardParams<scalar_t> {
    // Forward inputs and checkpoints come through the base; y and h_final are unused.
    const scalar_t* dy = nullptr;
    const scalar_t* dh_final = nullptr;  // optional

    scalar_t* du = nullptr;
    scalar_t* ddelta = nullptr;
    scalar_t* dA = nullptr;
    scalar_t* dBm = nullptr;
    scalar_t* dCm = nullptr;
    scalar_t* dDskip = nullptr;
    scalar_t* dh0 = nullptr;  // optional
};

}  // namespace statetrack::kernels
