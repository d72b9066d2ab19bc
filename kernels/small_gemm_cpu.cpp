// small_gemm_cpu (see small_gemm_cpu.h): the register-tiled loops of small_gemm_cpu_loops.inc,
// built once for AVX-512 and once for AVX2+FMA, rows in parallel.
#include "kernels/small_gemm_cpu.h"

#include <ATen/Parallel.h>
#include <c10/util/Exception.h>

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

}  // namespace statetrack::kernels
