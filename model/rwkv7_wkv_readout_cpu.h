// The RWKV-7 time mix's readout, between the WKV op and the output projection, as raw loops
// (torch-free; model/rwkv7_wkv_readout.h is the differentiable op over them and has the
// torch-ops reference). Per row (rows = B·T) and head h (channels c of that head, N of them):
//   ŷ = (y − mean_h(y)) · rstd,  rstd = 1 / sqrt(var_h(y) + eps)     group norm, biased variance
//   s = Σ_c r·k·r_k                                                   the bonus weight (0 without)
//   out = (ŷ ⊙ weight + bias + s·v) ⊙ gate
// y r k v gate out are (rows, C) with C = H·N, contiguous; weight bias (C); r_k (H,N), null for
// no bonus (then r and k are not read). The group norm is kernels/norm_rows.h's, one segment
// per head. stats (rows, H, 2) holds mean and rstd: the forward writes them, the backward reads
// them instead of recomputing. The backward writes every input's gradient (r, k, r_k only with
// the bonus); parameter gradients are summed over rows in blocks of float, then in double.
// Defined for float and double.
#pragma once

#include <cstdint>

namespace statetrack::model {

struct Rwkv7ReadoutShape {
    int64_t rows = 0, heads = 0, head_size = 0;
    double eps = 0.0;
};

template <typename T>
struct Rwkv7ReadoutIn {
    const T *y = nullptr, *r = nullptr, *k = nullptr, *v = nullptr, *gate = nullptr;
    const T *weight = nullptr, *bias = nullptr, *r_k = nullptr;
};

template <typename T>
struct Rwkv7ReadoutGrad {
    T *y = nullptr, *r = nullptr, *k = nullptr, *v = nullptr, *gate = nullptr;
    T *weight = nullptr, *bias = nullptr, *r_k = nullptr;
};

template <typename T>
void rwkv7_readout_forward_cpu(const Rwkv7ReadoutShape& s, const Rwkv7ReadoutIn<T>& in, T* out,
                               T* stats);

template <typename T>
void rwkv7_readout_backward_cpu(const Rwkv7ReadoutShape& s, const Rwkv7ReadoutIn<T>& in,
                                const T* stats, const T* dout, const Rwkv7ReadoutGrad<T>& grad);

}  // namespace statetrack::model
