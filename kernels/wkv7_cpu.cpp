// Builds the loops of wkv7_cpu_loops.inc once per instruction set and runs the best one the
// machine supports over B·H in parallel. Multi-versioning keeps the build flags portable (no
// -march=native) while the AVX2 / AVX-512 loops still run where the CPU has them.
#include "kernels/wkv7_cpu.h"

#include <ATen/Parallel.h>
#include <c10/util/Exception.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <new>
#include <utility>

// Per-function target pragmas and __builtin_cpu_supports are GCC-on-x86 features; elsewhere
// only the baseline loops (plain 16-byte vectors) are built.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define STATETRACK_WKV7_X86_ISAS 1
#else
#define STATETRACK_WKV7_X86_ISAS 0
#endif

namespace statetrack::kernels {
namespace {

#define WKV7_ISA_NAMESPACE baseline
#define WKV7_VEC_BYTES 16
#include "kernels/wkv7_cpu_loops.inc"
#undef WKV7_ISA_NAMESPACE
#undef WKV7_VEC_BYTES

#if STATETRACK_WKV7_X86_ISAS
#pragma GCC push_options
#pragma GCC target("avx2,fma")
#define WKV7_ISA_NAMESPACE avx2
#define WKV7_VEC_BYTES 32
#include "kernels/wkv7_cpu_loops.inc"
#undef WKV7_ISA_NAMESPACE
#undef WKV7_VEC_BYTES
#pragma GCC pop_options

#pragma GCC push_options
#pragma GCC target("avx512f,avx2,fma")
#define WKV7_ISA_NAMESPACE avx512
#define WKV7_VEC_BYTES 64
#include "kernels/wkv7_cpu_loops.inc"
#undef WKV7_ISA_NAMESPACE
#undef WKV7_VEC_BYTES
#pragma GCC pop_options
#endif

template <typename S>
baseline::ForwardHeadsFn<S> pick_forward(Wkv7CpuIsa isa, int64_t N) {
    switch (isa) {
#if STATETRACK_WKV7_X86_ISAS
        case Wkv7CpuIsa::kAvx512:
            return avx512::forward_heads_fn<S>(N);
        case Wkv7CpuIsa::kAvx2:
            return avx2::forward_heads_fn<S>(N);
#endif
        default:
            return baseline::forward_heads_fn<S>(N);
    }
}

template <typename S>
baseline::BackwardHeadsFn<S> pick_backward(Wkv7CpuIsa isa, int64_t N) {
    switch (isa) {
#if STATETRACK_WKV7_X86_ISAS
        case Wkv7CpuIsa::kAvx512:
            return avx512::backward_heads_fn<S>(N);
        case Wkv7CpuIsa::kAvx2:
            return avx2::backward_heads_fn<S>(N);
#endif
        default:
            return baseline::backward_heads_fn<S>(N);
    }
}

// 64-byte aligned so that full-width vector loads never straddle cache lines.
struct AlignedFree {
    void operator()(void* p) const { ::operator delete (p, std::align_val_t{64}); }
};
template <typename S>
std::unique_ptr<S, AlignedFree> make_scratch(int64_t count) {
    return std::unique_ptr<S, AlignedFree>(static_cast<S*>(
        ::operator new (static_cast<size_t>(count) * sizeof(S), std::align_val_t{64})));
}

template <typename S>
void check_params(const Wkv7ForwardParams<S>& p, Wkv7CpuIsa isa) {
    TORCH_INTERNAL_ASSERT(p.B >= 0 && p.T >= 1 && p.H >= 0, "wkv7 cpu: bad sizes");
    TORCH_INTERNAL_ASSERT(wkv7_cpu_supports_head_size(p.N), "wkv7 cpu: unsupported N = ", p.N);
    TORCH_INTERNAL_ASSERT(wkv7_cpu_isa_available(isa), "wkv7 cpu: instruction set ",
                          wkv7_cpu_isa_name(isa), " is not available on this machine");
}

}  // namespace

bool wkv7_cpu_isa_available(Wkv7CpuIsa isa) {
    switch (isa) {
        case Wkv7CpuIsa::kBaseline:
            return true;
#if STATETRACK_WKV7_X86_ISAS
        case Wkv7CpuIsa::kAvx2:
            __builtin_cpu_init();
            return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
        case Wkv7CpuIsa::kAvx512:
            __builtin_cpu_init();
            return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx2") &&
                   __builtin_cpu_supports("fma");
#endif
        default:
            return false;
    }
}

Wkv7CpuIsa wkv7_cpu_best_isa() {
    static const Wkv7CpuIsa best = [] {
        for (Wkv7CpuIsa isa : {Wkv7CpuIsa::kAvx512, Wkv7CpuIsa::kAvx2}) {
            if (wkv7_cpu_isa_available(isa)) {
                return isa;
            }
        }
        return Wkv7CpuIsa::kBaseline;
    }();
    return best;
}

const char* wkv7_cpu_isa_name(Wkv7CpuIsa isa) {
    switch (isa) {
        case Wkv7CpuIsa::kAvx512:
            return "avx512";
        case Wkv7CpuIsa::kAvx2:
            return "avx2";
        default:
            return "baseline";
    }
}

bool wkv7_cpu_supports_head_size(int64_t N) { return N > 0 && N % 16 == 0; }

// Runs fn(bh0, count) over [begin, end) in groups of consecutive heads that share a batch
// element (the kernels advance such a group together, see kTimeTile).
template <typename Fn>
void for_each_head_group(int64_t begin, int64_t end, int64_t H, const Fn& fn) {
    for (int64_t bh = begin; bh < end;) {
        const int64_t count = std::min(end, (bh / H + 1) * H) - bh;
        fn(bh, count);
        bh += count;
    }
}

template <typename S>
void wkv7_forward_cpu(const Wkv7ForwardParams<S>& params, Wkv7CpuIsa isa) {
    check_params(params, isa);
    const auto heads = pick_forward<S>(isa, params.N);
    at::parallel_for(0, params.B * params.H, 1, [&](int64_t begin, int64_t end) {
        const auto scratch = make_scratch<S>(
            baseline::forward_scratch_size(params.N, std::min(end - begin, params.H)));
        for_each_head_group(begin, end, params.H, [&](int64_t bh0, int64_t count) {
            heads(params, bh0, count, scratch.get());
        });
    });
}

template <typename S>
void wkv7_backward_cpu(const Wkv7BackwardParams<S>& params, Wkv7CpuIsa isa) {
    check_params(params, isa);
    const auto heads = pick_backward<S>(isa, params.N);
    at::parallel_for(0, params.B * params.H, 1, [&](int64_t begin, int64_t end) {
        const auto scratch = make_scratch<S>(
            baseline::backward_scratch_size(params.N, std::min(end - begin, params.H)));
        for_each_head_group(begin, end, params.H, [&](int64_t bh0, int64_t count) {
            heads(params, bh0, count, scratch.get());
        });
    });
}

template void wkv7_forward_cpu<float>(const Wkv7ForwardParams<float>&, Wkv7CpuIsa);
template void wkv7_forward_cpu<double>(const Wkv7ForwardParams<double>&, Wkv7CpuIsa);
template void wkv7_backward_cpu<float>(const Wkv7BackwardParams<float>&, Wkv7CpuIsa);
template void wkv7_backward_cpu<double>(const Wkv7BackwardParams<double>&, Wkv7CpuIsa);

}  // namespace statetrack::kernels
