// The activations' loops, raw over n contiguous elements (torch-free; kernels/activations.h is
// the differentiable ops over them). Each has forward(x, y, n), y = f(x), and
// with_derivative(x, y, d, n), y = f(x) and d = f'(x) in the same pass (for the backward,
// dx = dy·d: recomputing f' there cost as much as the forward again):
//   GELU (exact CDF)  y = x·Φ(x),  Φ(x) = ½·erfc(−x/√2)       d = Φ(x) + x·φ(x),
//                     φ(x) = e^{−x²/2}/√(2π)
//   SiLU              y = x·σ(x)                             d = σ(x)·(1 + x·(1 − σ(x)))
//   softplus          y = max(x, 0) + log1p(e^{−|x|})        d = σ(x) = 1/(1 + e^{−|x|}) for
//                                                            x ≥ 0, e^{−|x|}/(1 + e^{−|x|}) below
// double: std::erfc, std::exp, std::log1p. float, so that the loops vectorise:
// kernels/exp_approx.h; for GELU erfc(z) = t·e^{−z²}·Q(t) with t = 1/(1 + z/2), z ≥ 0, Q a
// polynomial fit (relative error 3.5e-8, so Φ keeps its relative accuracy in the negative tail
// too), and e^{−z²} also gives φ: one exp per element (activations_cpu.cpp); for softplus log1p(u)
// = 2·atanh(u/(2 + u)) by its odd series to the 13th power (u ∈ (0, 1], s = u/(2 + u) ≤ 1/3:
// truncation < 2e-8 relative), and one exp and one division per element for y and d together.
// torch::softplus returns x itself above its threshold 20, where log1p(e^{−x}) < 2.1e-9: the same
// float, and within 2.1e-9 in double. The readable references are torch::gelu, torch::silu and
// torch::softplus (tests/kernels/activations_test.cpp).
// The SiLU gate (kernels/silu_gate.h) out = y·SiLU(z) has a forward over (y, z) and a backward
// that recomputes σ(z) from z: dy = g·SiLU(z), dz = g·y·SiLU'(z).
#pragma once

#include <cstdint>

namespace statetrack::kernels {

template <typename T>
void gelu_forward_cpu(const T* x, T* y, int64_t n);
template <typename T>
void gelu_with_derivative_cpu(const T* x, T* y, T* d, int64_t n);

template <typename T>
void silu_forward_cpu(const T* x, T* y, int64_t n);
template <typename T>
void silu_with_derivative_cpu(const T* x, T* y, T* d, int64_t n);

template <typename T>
void silu_gate_forward_cpu(const T* y, const T* z, T* out, int64_t n);
template <typename T>
void silu_gate_backward_cpu(const T* y, const T* z, const T* g, T* dy, T* dz, int64_t n);

template <typename T>
void softplus_forward_cpu(const T* x, T* y, int64_t n);
template <typename T>
void softplus_with_derivative_cpu(const T* x, T* y, T* d, int64_t n);

}  // namespace statetrack::kernels
