// The RWKV-7 time mix's elementwise stage, between its projections and the WKV op, as raw loops
// (torch-free; model/rwkv7_wkv_operands.h is the differentiable op over them and has the
// torch-ops reference). Per element, with rows = B·T, C = H·N channels, all arrays contiguous:
//   iclr  = s·σ(a0 + a_lora)                      s = iclr_scale (2 when extended, else 1)
//   decay = exp(−e^{−0.5}·σ(w0 + d_lora))         clamped (docs/rwkv7.md §4), or
//           exp(−exp(w0 + d_lora − 0.5))           without the clamp
//   kt    = k ⊙ (1 + (iclr − 1) ⊙ k_a)            the replacement key k̃
//   kk    = u / max(‖u‖, 1e-12) per head,  u = k ⊙ k_k   the removal key κ̂
//   a = −kk, b = kk ⊙ iclr                         both 0 for the diagonal ablation
//   v_out = v + (v_first − v) ⊙ σ(v0 + v_lora)     with the value residual (v_lora non-null),
//           v                                      without it
// Parameters w0 a0 v0 k_k k_a are (C); the rest (rows, C). The backward takes every output's
// gradient (none null), recomputes the forward from the inputs, and writes every input's
// gradient; parameter gradients are summed over rows in double.
// Defined for float and double; float evaluates exp by a vectorisable approximation good to a
// few ulp (rwkv7_wkv_operands_cpu.cpp), double by std::exp.
#pragma once

#include <cstdint>

namespace statetrack::model {

struct Rwkv7OperandsShape {
    int64_t rows = 0, heads = 0, head_size = 0;
    double iclr_scale = 1.0;
    bool decay_clamp = true;
    bool diagonal = false;
};

template <typename T>
struct Rwkv7OperandsIn {
    const T *k = nullptr, *v = nullptr, *d_lora = nullptr, *a_lora = nullptr;
    const T *v_lora = nullptr, *v_first = nullptr;  // both null without the value residual
    const T *w0 = nullptr, *a0 = nullptr, *v0 = nullptr, *k_k = nullptr, *k_a = nullptr;
};

// One array per output (forward) or per output's gradient (backward).
template <typename T>
struct Rwkv7Operands {
    T *decay = nullptr, *kt = nullptr, *v_out = nullptr, *a = nullptr, *b = nullptr;
};

// Gradients of the inputs, same layout as Rwkv7OperandsIn (v_lora, v_first, v0 unused
// without the value residual).
template <typename T>
struct Rwkv7OperandsGrad {
    T *k = nullptr, *v = nullptr, *d_lora = nullptr, *a_lora = nullptr;
    T *v_lora = nullptr, *v_first = nullptr;
    T *w0 = nullptr, *a0 = nullptr, *v0 = nullptr, *k_k = nullptr, *k_a = nullptr;
};

template <typename T>
void rwkv7_operands_forward_cpu(const Rwkv7OperandsShape& s, const Rwkv7OperandsIn<T>& in,
                                const Rwkv7Operands<T>& out);

template <typename T>
void rwkv7_operands_backward_cpu(const Rwkv7OperandsShape& s, const Rwkv7OperandsIn<T>& in,
                                 const Rwkv7Operands<const T>& grad_out,
                                 const Rwkv7OperandsGrad<T>& grad_in);

}  // namespace statetrack::model
