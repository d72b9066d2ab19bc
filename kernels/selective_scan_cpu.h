// Fast CPU selective-scan forward and backward on raw pointers (layouts in
// selective_scan_params.h, math in selective_scan.h). scalar_t = float or double, for the
// inputs and the state alike. Any B, T, D, S >= 1.
//
// Work split: the D channels of each batch element are cut into blocks of
// kSelectiveScanCpuDBlock (the last one ragged); the B·ceil(D / block) (batch, block) units run
// in parallel with at::parallel_for (selective_scan_cpu.cpp is compiled with OpenMP, without
// which that header template runs serially), the time loop sequential inside each unit, all
// channels of a unit advanced together step by step so that Bm_t and Cm_t are read once per
// unit. Inner loops run over s in native vectors (S padded to whole vectors with zeros, which
// stay zero through the recurrence), with a branch-free vector exp.
// Reductions across units (dBm, dCm over channel blocks; dA, dDskip over the batch) go through
// per-unit partial sums added up in a fixed order afterwards: results do not depend on the
// thread count. The backward replays each chunk of kSelectiveScanChunkLen steps from the
// forward's checkpoints and never divides by a_t.
// The loops exist once per x86 instruction set (baseline SSE2, AVX2+FMA, AVX-512) in one
// portable binary, as for wkv7 (the instruction sets are the ones wkv7_cpu.h detects).
#pragma once

#include <cstdint>

#include "kernels/selective_scan_params.h"
#include "kernels/wkv7_cpu.h"

namespace statetrack::kernels {

inline constexpr int64_t kSelectiveScanCpuDBlock = 16;

// isa must be available (tests run every available one; callers normally take the default).
template <typename scalar_t>
void selective_scan_forward_cpu(const SelectiveScanForwardParams<scalar_t>& params,
                                Wkv7CpuIsa isa = wkv7_cpu_best_isa());
template <typename scalar_t>
void selective_scan_backward_cpu(const SelectiveScanBackwardParams<scalar_t>& params,
                                 Wkv7CpuIsa isa = wkv7_cpu_best_isa());

}  // namespace statetrack::kernels
