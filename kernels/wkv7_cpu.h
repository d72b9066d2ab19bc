// Fast CPU WKV7 forward and backward on raw pointers (layouts in wkv7_params.h, math in wkv7.h).
// S = float or double, for the inputs and the state alike. Parallel over B·H with
// at::parallel_for (wkv7_cpu.cpp is compiled with OpenMP, without which that header template
// runs serially); the time loop stays sequential inside each (b, h). Any T >= 1; N must be a
// positive multiple of 16 (wkv7_cpu_supports_head_size). The backward recomputes each chunk of
// kWkv7ChunkLen steps from the forward's checkpoints and never divides by the decay.
// The loops exist once per x86 instruction set (baseline SSE2, AVX2+FMA, AVX-512) in one
// portable binary; the best one the running machine supports is picked at run time.
#pragma once

#include <cstdint>

#include "kernels/wkv7_params.h"

namespace statetrack::kernels {

enum class Wkv7CpuIsa { kBaseline, kAvx2, kAvx512 };

// The widest instruction set this machine (and this build) can run.
Wkv7CpuIsa wkv7_cpu_best_isa();
bool wkv7_cpu_isa_available(Wkv7CpuIsa isa);
const char* wkv7_cpu_isa_name(Wkv7CpuIsa isa);

bool wkv7_cpu_supports_head_size(int64_t N);

// isa must be available (tests run every available one; callers normally take the default).
template <typename S>
void wkv7_forward_cpu(const Wkv7ForwardParams<S>& params, Wkv7CpuIsa isa = wkv7_cpu_best_isa());
template <typename S>
void wkv7_backward_cpu(const Wkv7BackwardParams<S>& params, Wkv7CpuIsa isa = wkv7_cpu_best_isa());

}  // namespace statetrack::kernels
