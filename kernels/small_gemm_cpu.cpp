// small_gemm_cpu (see small_gemm_cpu.h): the register-tiled loops of small_gemm_cpu_loops.inc,
// built once for AVX-512 and once for AVX2+FMA, rows in parallel.
#include "kernels/small_gemm_cpu.h"

#include <ATen/Parallel.h>
#include <c10/util/Exception.h>

#include "core/target_clones.h"

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define STATETRACK_SMALL_GEMM_X86_ISAS 1
#else
#define STATETRACK_SMALL_GEMM_X86_ISAS 0
#endif

namespace statetrack::kernels {
namespace {

#if STATETRACK_SMALL_GEMM_X86_ISAS
#pragma GCC push_options
#pragma GCC target("avx2,fma")
#define SGEMM_ISA_NAMESPACE avx2
#define SGEMM_VEC_BYTES 32
#define SGEMM_REGISTERS 16
#include "kernels/small_gemm_cpu_loops.inc"
#undef SGEMM_ISA_NAMESPACE
#undef SGEMM_VEC_BYTES
#undef SGEMM_REGISTERS
#undef SGEMM_UNROLLED
#pragma GCC pop_options

#pragma GCC push_options
#pragma GCC target("avx512f,avx2,fma")
#define SGEMM_ISA_NAMESPACE avx512
#define SGEMM_VEC_BYTES 64
#define SGEMM_REGISTERS 32
#include "kernels/small_gemm_cpu_loops.inc"
#undef SGEMM_ISA_NAMESPACE
#undef SGEMM_VEC_BYTES
#undef SGEMM_REGISTERS
#undef SGEMM_UNROLLED
#pragma GCC pop_options
#endif

using RowsFn = void (*)(const SmallGemmArgs&, int64_t, int64_t);

// The loops and vector width of an instruction set; null loops where there are none.
struct IsaLoops {
    RowsFn rows = nullptr;
    int64_t lanes = 0;
};

IsaLoops built_loops(Wkv7CpuIsa isa) {
    if (!wkv7_cpu_isa_available(isa)) {
        return {};
    }
    switch (isa) {
#if STATETRACK_SMALL_GEMM_X86_ISAS
        case Wkv7CpuIsa::kAvx512:
            return {&avx512::rows, avx512::kLanes};
        case Wkv7CpuIsa::kAvx2:
            return {&avx2::rows, avx2::kLanes};
#endif
        default:
            return {};
    }
}

// Looked up once: small_mm asks before every product.
IsaLoops loops_for(Wkv7CpuIsa isa) {
    static const IsaLoops table[] = {built_loops(Wkv7CpuIsa::kBaseline),
                                     built_loops(Wkv7CpuIsa::kAvx2),
                                     built_loops(Wkv7CpuIsa::kAvx512)};
    return table[static_cast<int>(isa)];
}

// transpose_cpu's parts: 8×8 squares in registers, rows of 8 floats (one AVX2 vector, half an
// AVX-512 one), and the ragged edges element by element. LibTorch's strided copy and a scalar
// 16×16-blocked loop both took ~1.4% of a quick-shape Transformer training step (perf samples,
// 2 layers), the squares ~0.7%.
constexpr int64_t kSquare = 8;
typedef float Row8 __attribute__((vector_size(kSquare * sizeof(float))));
typedef int32_t Lanes8 __attribute__((vector_size(kSquare * sizeof(int32_t))));

// Three rounds of swapping the off-diagonal d×d blocks of every 2d×2d block (d = 4, 2, 1): row i
// (bit d clear) keeps its own lanes j with bit d clear and takes row i + d's lanes j − d for the
// others; row i + d the mirror image.
STATETRACK_TARGET_CLONES void transpose_square(const float* src, int64_t ld, float* dst,
                                               int64_t ldd) {
    Row8 r[kSquare];
    for (int64_t i = 0; i < kSquare; ++i) {
        __builtin_memcpy(&r[i], src + i * ld, sizeof(Row8));
    }
    const auto round = [&r](int d, const Lanes8& keep, const Lanes8& take) {
        for (int i = 0; i < kSquare; ++i) {
            if ((i & d) == 0) {
                const Row8 lo = r[i], hi = r[i + d];
                r[i] = __builtin_shuffle(lo, hi, keep);
                r[i + d] = __builtin_shuffle(lo, hi, take);
            }
        }
    };
    round(4, Lanes8{0, 1, 2, 3, 8, 9, 10, 11}, Lanes8{4, 5, 6, 7, 12, 13, 14, 15});
    round(2, Lanes8{0, 1, 8, 9, 4, 5, 12, 13}, Lanes8{2, 3, 10, 11, 6, 7, 14, 15});
    round(1, Lanes8{0, 8, 2, 10, 4, 12, 6, 14}, Lanes8{1, 9, 3, 11, 5, 13, 7, 15});
    for (int64_t j = 0; j < kSquare; ++j) {
        __builtin_memcpy(dst + j * ldd, &r[j], sizeof(Row8));
    }
}

void transpose_scalar(const float* src, int64_t ld, int64_t i0, int64_t i1, int64_t j0, int64_t j1,
                      float* dst, int64_t ldd) {
    for (int64_t i = i0; i < i1; ++i) {
        for (int64_t j = j0; j < j1; ++j) {
            dst[j * ldd + i] = src[i * ld + j];
        }
    }
}

}  // namespace

bool small_gemm_cpu_available(int64_t N, Wkv7CpuIsa isa) {
    const IsaLoops loops = loops_for(isa);
    return loops.rows != nullptr && N > 0 && N % loops.lanes == 0;
}

void small_gemm_cpu(const SmallGemmArgs& g, Wkv7CpuIsa isa) {
    TORCH_INTERNAL_ASSERT(small_gemm_cpu_available(g.N, isa), "small_gemm_cpu: N = ", g.N,
                          " is not supported with ", wkv7_cpu_isa_name(isa), " here");
    const RowsFn rows = loops_for(isa).rows;
    // Grains of 48 rows (a multiple of both tile heights) keep the split free of extra tails.
    at::parallel_for(0, (g.M + 47) / 48, 1, [&](int64_t begin, int64_t end) {
        rows(g, begin * 48, end * 48 < g.M ? end * 48 : g.M);
    });
}

void transpose_cpu(const float* src, int64_t rows, int64_t cols, int64_t ld, float* dst) {
    int64_t i0 = 0;
    for (; i0 + kSquare <= rows; i0 += kSquare) {
        int64_t j0 = 0;
        for (; j0 + kSquare <= cols; j0 += kSquare) {
            transpose_square(src + i0 * ld + j0, ld, dst + j0 * rows + i0, rows);
        }
        transpose_scalar(src, ld, i0, i0 + kSquare, j0, cols, dst, rows);
    }
    transpose_scalar(src, ld, i0, rows, 0, cols, dst, rows);
}

}  // namespace statetrack::kernels
