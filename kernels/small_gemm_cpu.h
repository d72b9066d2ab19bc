// small_gemm_cpu: C = A·B in float32 for the thin products of the small models' training steps
// (M = B·T rows of a few hundred to a few thousand, N and K of 32 to 256), without packing.
// OpenBLAS copies both operands into packed panels and clears C before every product; at these
// sizes that is a fifth of its time (bench/results/train_run_ab.md). Here B's rows (unit stride
// in n) are read in place and a register tile of C (6 rows × 64 columns with AVX-512, 6 × 16
// with AVX2) accumulates over k with one broadcast of A(i, k) per row, then is stored once.
// Contract: A(i, k) = a[i·a_row + k·a_col] (any strides: row-major A, or a transposed view);
// B(k, n) = b[k·ldb + n]; C(i, n) = c[i·ldc + n], overwritten. Every C element is a sequential
// sum over k = 0 … K−1 of fused multiply-adds from zero, so results do not depend on M, on the
// tiling, on the instruction set or on the number of threads. With a bias (N values), bias[n] is
// added to that sum as it is stored: the same float as the product followed by a bias add, one
// pass over C fewer. With a multiplier (M×N, ldc apart), C = that value · multiplier[i·ldc + n]
// as it is stored: one float multiply, as a separate elementwise product would round it. Rows
// are split over LibTorch's intra-op threads. Built for AVX-512 and AVX2+FMA on a GCC x86-64
// build (the instruction-set names are the WKV7 kernel's, kernels/wkv7_cpu.h); the best one the
// machine has runs unless a caller (a test) names one. small_gemm_cpu_available(N, isa): whether
// the kernel runs this N with that instruction set here (N a multiple of its vector: 16 floats, 8
// with AVX2; never for the baseline); otherwise the caller uses at::mm (kernels/small_gemm.h). The
// readable reference is the triple loop; tests/kernels/small_gemm_test.cpp compares the kernel with
// it in float64.
#pragma once

#include <cstdint>

#include "kernels/wkv7_cpu.h"

namespace statetrack::kernels {

struct SmallGemmArgs {
    int64_t M = 0, N = 0, K = 0;
    const float* a = nullptr;
    int64_t a_row = 0, a_col = 0;
    const float* b = nullptr;
    int64_t ldb = 0;
    float* c = nullptr;
    int64_t ldc = 0;
    const float* bias = nullptr;        // (N), or null
    const float* multiplier = nullptr;  // read, ldc apart, or null
};

bool small_gemm_cpu_available(int64_t N, Wkv7CpuIsa isa = wkv7_cpu_best_isa());

// Requires small_gemm_cpu_available(g.N, isa).
void small_gemm_cpu(const SmallGemmArgs& g, Wkv7CpuIsa isa = wkv7_cpu_best_isa());

// dst (cols × rows, contiguous) = the transpose of src (rows × cols, rows ld apart): a weight
// w (N,K) as the B = wᵀ (K,N) of x·wᵀ. 8×8 squares transposed in registers, the ragged edges
// element by element; the readable reference is that element loop (transpose_scalar), and
// tests/kernels/small_gemm_test.cpp checks the copy bit for bit against LibTorch's.
void transpose_cpu(const float* src, int64_t rows, int64_t cols, int64_t ld, float* dst);

}  // namespace statetrack::kernels
