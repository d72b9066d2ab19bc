// Builds the loops of selective_scan_cpu_loops.inc once per instruction set, runs the best one
// the machine supports over the (batch, channel block) units in parallel, and adds up the
// backward's per-unit partial sums in a fixed order (see selective_scan_cpu.h).
#include "kernels/selective_scan_cpu.h"

#include <ATen/Parallel.h>
#include <c10/util/Exception.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

// Per-function target pragmas are a GCC-on-x86 feature; elsewhere only the baseline loops
// (plain 16-byte vectors) are built. Availability comes from wkv7_cpu.h's detection.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define STATETRACK_SSCAN_X86_ISAS 1
#else
#define STATETRACK_SSCAN_X86_ISAS 0
#endif

namespace statetrack::kernels {
namespace {

inline int64_t channel_blocks(int64_t D) {
    return (D + kSelectiveScanCpuDBlock - 1) / kSelectiveScanCpuDBlock;
}

// One unit of parallel work: batch element b, channels [d0, d0 + nd) = channel block `block`.
struct Unit {
    int64_t b, block, d0, nd;
};
inline Unit unit_at(int64_t unit, int64_t D) {
    const int64_t blocks = channel_blocks(D);
    const int64_t block = unit % blocks;
    const int64_t d0 = block * kSelectiveScanCpuDBlock;
    return {unit / blocks, block, d0, std::min(kSelectiveScanCpuDBlock, D - d0)};
}

// The backward's per-unit sums, added up by add_partials.
template <typename scalar_t>
struct Partials {
    int64_t blocks = 0;          // channel blocks per batch element
    scalar_t* dBm = nullptr;     // (B, blocks, T, S)
    scalar_t* dCm = nullptr;     // (B, blocks, T, S)
    scalar_t* dA = nullptr;      // (B, D, S)
    scalar_t* dDskip = nullptr;  // (B, D)
};

// 64-byte aligned scratch, so that full-width vectors never straddle cache lines.
class AlignedBuffer {
  public:
    explicit AlignedBuffer(int64_t bytes)
        : data_(::operator new (static_cast<size_t>(std::max<int64_t>(bytes, 64)),
                                std::align_val_t{64})) {}
    ~AlignedBuffer() { ::operator delete (data_, std::align_val_t{64}); }
    AlignedBuffer(const AlignedBuffer&) = delete;
    AlignedBuffer& operator=(const AlignedBuffer&) = delete;
    void* get() const { return data_; }

  private:
    void* data_;
};

#define SSCAN_ISA_NAMESPACE baseline
#define SSCAN_VEC_BYTES 16
#include "kernels/selective_scan_cpu_loops.inc"
#undef SSCAN_ISA_NAMESPACE
#undef SSCAN_VEC_BYTES

#if STATETRACK_SSCAN_X86_ISAS
#pragma GCC push_options
#pragma GCC target("avx2,fma")
#define SSCAN_ISA_NAMESPACE avx2
#define SSCAN_VEC_BYTES 32
#include "kernels/selective_scan_cpu_loops.inc"
#undef SSCAN_ISA_NAMESPACE
#undef SSCAN_VEC_BYTES
#pragma GCC pop_options

#pragma GCC push_options
#pragma GCC target("avx512f,avx2,fma")
#define SSCAN_ISA_NAMESPACE avx512
#define SSCAN_VEC_BYTES 64
#include "kernels/selective_scan_cpu_loops.inc"
#undef SSCAN_ISA_NAMESPACE
#undef SSCAN_VEC_BYTES
#pragma GCC pop_options
#endif

template <typename scalar_t>
baseline::ForwardRangeFn<scalar_t> pick_forward(Wkv7CpuIsa isa) {
    switch (isa) {
#if STATETRACK_SSCAN_X86_ISAS
        case Wkv7CpuIsa::kAvx512:
            return &avx512::forward_range<scalar_t>;
        case Wkv7CpuIsa::kAvx2:
            return &avx2::forward_range<scalar_t>;
#endif
        default:
            return &baseline::forward_range<scalar_t>;
    }
}

template <typename scalar_t>
baseline::BackwardRangeFn<scalar_t> pick_backward(Wkv7CpuIsa isa) {
    switch (isa) {
#if STATETRACK_SSCAN_X86_ISAS
        case Wkv7CpuIsa::kAvx512:
            return &avx512::backward_range<scalar_t>;
        case Wkv7CpuIsa::kAvx2:
            return &avx2::backward_range<scalar_t>;
#endif
        default:
            return &baseline::backward_range<scalar_t>;
    }
}

template <typename scalar_t>
void check_params(const SelectiveScanForwardParams<scalar_t>& p, Wkv7CpuIsa isa) {
    TORCH_INTERNAL_ASSERT(p.B >= 1 && p.T >= 1 && p.D >= 1 && p.S >= 1,
                          "selective_scan cpu: bad sizes");
    TORCH_INTERNAL_ASSERT(wkv7_cpu_isa_available(isa), "selective_scan cpu: instruction set ",
                          wkv7_cpu_isa_name(isa), " is not available on this machine");
}

// dBm, dCm = Σ over channel blocks; dA, dDskip = Σ over the batch; each in a fixed order
// (ascending block or batch index). The element loop is innermost, so that it runs over
// contiguous rows in vectors.
template <typename scalar_t>
void add_partials(const SelectiveScanBackwardParams<scalar_t>& p, const Partials<scalar_t>& part) {
    const int64_t S = p.S, T = p.T, D = p.D;
    at::parallel_for(0, p.B * T, 16, [&](int64_t begin, int64_t end) {
        for (int64_t bt = begin; bt < end; ++bt) {
            const int64_t b = bt / T, t = bt % T;
            scalar_t* __restrict dB = p.dBm + bt * S;
            scalar_t* __restrict dC = p.dCm + bt * S;
            for (int64_t k = 0; k < part.blocks; ++k) {
                const int64_t slot = ((b * part.blocks + k) * T + t) * S;
                const scalar_t* __restrict pB = part.dBm + slot;
                const scalar_t* __restrict pC = part.dCm + slot;
                for (int64_t s = 0; s < S; ++s) {
                    dB[s] = k == 0 ? pB[s] : dB[s] + pB[s];
                    dC[s] = k == 0 ? pC[s] : dC[s] + pC[s];
                }
            }
        }
    });
    at::parallel_for(0, D, 16, [&](int64_t begin, int64_t end) {
        scalar_t* __restrict dA = p.dA + begin * S;
        const int64_t n = (end - begin) * S;
        for (int64_t b = 0; b < p.B; ++b) {
            const scalar_t* __restrict pA = part.dA + (b * D + begin) * S;
            for (int64_t i = 0; i < n; ++i) {
                dA[i] = b == 0 ? pA[i] : dA[i] + pA[i];
            }
        }
        for (int64_t d = begin; d < end; ++d) {
            scalar_t dD = 0;
            for (int64_t b = 0; b < p.B; ++b) {
                dD += part.dDskip[b * D + d];
            }
            p.dDskip[d] = dD;
        }
    });
}

}  // namespace

template <typename scalar_t>
void selective_scan_forward_cpu(const SelectiveScanForwardParams<scalar_t>& params,
                                Wkv7CpuIsa isa) {
    check_params(params, isa);
    const auto range = pick_forward<scalar_t>(isa);
    at::parallel_for(0, params.B * channel_blocks(params.D), 1,
                     [&](int64_t begin, int64_t end) { range(params, begin, end); });
}

template <typename scalar_t>
void selective_scan_backward_cpu(const SelectiveScanBackwardParams<scalar_t>& params,
                                 Wkv7CpuIsa isa) {
    check_params(params, isa);
    TORCH_INTERNAL_ASSERT(params.checkpoints != nullptr && params.dy != nullptr,
                          "selective_scan cpu: the backward needs checkpoints and dy");
    const auto range = pick_backward<scalar_t>(isa);
    const int64_t B = params.B, T = params.T, D = params.D, S = params.S;
    Partials<scalar_t> part;
    part.blocks = channel_blocks(D);
    // Left uninitialised: every element is written by exactly one unit before add_partials.
    auto buffer = [](int64_t n) {
        return std::unique_ptr<scalar_t[]>(new scalar_t[static_cast<size_t>(n)]);
    };
    const auto dBm = buffer(B * part.blocks * T * S), dCm = buffer(B * part.blocks * T * S);
    const auto dA = buffer(B * D * S), dD = buffer(B * D);
    part.dBm = dBm.get();
    part.dCm = dCm.get();
    part.dA = dA.get();
    part.dDskip = dD.get();
    at::parallel_for(0, B * part.blocks, 1,
                     [&](int64_t begin, int64_t end) { range(params, part, begin, end); });
    add_partials(params, part);
}

template void selective_scan_forward_cpu<float>(const SelectiveScanForwardParams<float>&,
                                                Wkv7CpuIsa);
template void selective_scan_forward_cpu<double>(const SelectiveScanForwardParams<double>&,
                                                 Wkv7CpuIsa);
template void selective_scan_backward_cpu<float>(const SelectiveScanBackwardParams<float>&,
                                                 Wkv7CpuIsa);
template void selective_scan_backward_cpu<double>(const SelectiveScanBackwardParams<double>&,
                                                  Wkv7CpuIsa);

}  // namespace statetrack::kernels
