// small_gemm_cpu (see small_gemm_cpu.h): register-tiled AVX-512 loops, rows in parallel.
#include "kernels/small_gemm_cpu.h"

#include <ATen/Parallel.h>
#include <c10/util/Exception.h>

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define STATETRACK_SMALL_GEMM_AVX512 1
#else
#define STATETRACK_SMALL_GEMM_AVX512 0
#endif

namespace statetrack::kernels {

#if STATETRACK_SMALL_GEMM_AVX512
namespace {

#pragma GCC push_options
#pragma GCC target("avx512f,avx2,fma")

typedef float Vec __attribute__((vector_size(64)));
constexpr int64_t kLanes = 16;

inline Vec load(const float* p) {
    Vec x;
    __builtin_memcpy(&x, p, sizeof(x));
    return x;
}
inline void store(float* p, Vec x) { __builtin_memcpy(p, &x, sizeof(x)); }

// C rows [i0, i0 + R), columns [n0, n0 + Q·16). R·Q accumulators and Q vectors of B's row k
// stay in registers (R·Q + Q <= 28 of the 32).
template <int R, int Q>
inline void tile(const SmallGemmArgs& g, int64_t i0, int64_t n0) {
    Vec acc[R][Q];
    for (int r = 0; r < R; ++r) {
        for (int q = 0; q < Q; ++q) {
            acc[r][q] = Vec{};
        }
    }
    const float* a = g.a + i0 * g.a_row;
    for (int64_t k = 0; k < g.K; ++k) {
        const float* bk = g.b + k * g.ldb + n0;
        Vec b[Q];
        for (int q = 0; q < Q; ++q) {
            b[q] = load(bk + q * kLanes);
        }
        const float* ak = a + k * g.a_col;
        for (int r = 0; r < R; ++r) {
            const float s = ak[r * g.a_row];
            for (int q = 0; q < Q; ++q) {
                acc[r][q] += s * b[q];
            }
        }
    }
    for (int r = 0; r < R; ++r) {
        for (int q = 0; q < Q; ++q) {
            store(g.c + (i0 + r) * g.ldc + n0 + q * kLanes, acc[r][q]);
        }
    }
}

// The last rows < R of a panel as one tile: a row at a time would load B's row k for every
// FMA row, and the weight gradients (M = out features, 64 = 10·6 + 4) end in such a tail.
template <int R, int Q>
void tail(const SmallGemmArgs& g, int64_t rows, int64_t i, int64_t n0) {
    if constexpr (R > 1) {
        if (rows == R - 1) {
            tile<R - 1, Q>(g, i, n0);
        } else {
            tail<R - 1, Q>(g, rows, i, n0);
        }
    }
}

// Rows [i_begin, i_end) of one column panel of Q vectors: tiles of R rows, then the tail.
template <int R, int Q>
void panel(const SmallGemmArgs& g, int64_t i_begin, int64_t i_end, int64_t n0) {
    int64_t i = i_begin;
    for (; i + R <= i_end; i += R) {
        tile<R, Q>(g, i, n0);
    }
    tail<R, Q>(g, i_end - i, i, n0);
}

// Panels of 64 columns (6-row tiles), then at most one of 32 and one of 16 (12-row tiles).
void rows(const SmallGemmArgs& g, int64_t i_begin, int64_t i_end) {
    int64_t n0 = 0;
    for (; n0 + 4 * kLanes <= g.N; n0 += 4 * kLanes) {
        panel<6, 4>(g, i_begin, i_end, n0);
    }
    if (n0 + 2 * kLanes <= g.N) {
        panel<12, 2>(g, i_begin, i_end, n0);
        n0 += 2 * kLanes;
    }
    if (n0 < g.N) {
        panel<12, 1>(g, i_begin, i_end, n0);
    }
}

#pragma GCC pop_options

}  // namespace

bool small_gemm_cpu_available(int64_t N) {
    static const bool avx512 = __builtin_cpu_supports("avx512f") != 0;
    return avx512 && N > 0 && N % kLanes == 0;
}

void small_gemm_cpu(const SmallGemmArgs& g) {
    TORCH_INTERNAL_ASSERT(small_gemm_cpu_available(g.N), "small_gemm_cpu: N = ", g.N,
                          " is not supported here");
    // Grains of 48 rows (a multiple of both tile heights) keep the split free of extra tails.
    at::parallel_for(0, (g.M + 47) / 48, 1, [&](int64_t begin, int64_t end) {
        rows(g, begin * 48, end * 48 < g.M ? end * 48 : g.M);
    });
}

#else

bool small_gemm_cpu_available(int64_t) { return false; }

void small_gemm_cpu(const SmallGemmArgs&) {
    TORCH_INTERNAL_ASSERT(false, "small_gemm_cpu: not built for this compiler or CPU");
}

#endif

}  // namespace statetrack::kernels
