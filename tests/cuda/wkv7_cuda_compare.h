// Comparisons for the CUDA WKV7 suite (torch-free counterparts of tests/testing/tensor_compare.h).
//
// float32 results (every state-typed output, and the I/O outputs of float32 runs) against the
// float64 oracle: NMSE = Σ(ref − got)² / Σ ref² ≤ 1e-11, the CPU kernel tests' float32 bound
// (float32 rounds each value by ≤ 6e-8 relative, so NMSE ~1e-14 is the floor).
//
// bfloat16 I/O outputs (y and the six input gradients of bf16 runs), element by element:
//   |got − ref| ≤ 2^-8·|ref| + 2e-5·rms(ref).
// Why: the kernel reads bf16 values exactly, computes in float32 and rounds each output once
// to bf16 (round to nearest even). bf16 has 8 significant bits, so that rounding moves a value
// x by at most half an ulp, ≤ 2^-8·|x| (its unit roundoff). Before it, the float32 result x + δ
// differs from the oracle's x by float32 rounding only, |δ| ≲ 1e-6·rms(ref) here (NMSE ~1e-14);
// |fl(x + δ) − x| ≤ 2^-8·|x| + (1 + 2^-8)·|δ|, and 2e-5·rms leaves a 10× margin on δ. A kernel
// that rounded twice, kept anything in bf16 in between, or lost a step would exceed it.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "tests/cuda/wkv7_cuda_problem.h"

namespace statetrack::kernels::cuda_testing {

inline constexpr double kMaxNmseFloat32 = 1e-11;
inline constexpr double kBf16UnitRoundoff = 1.0 / 256.0;  // 2^-8
inline constexpr double kBf16ComputeSlack = 2e-5;         // × rms(ref)

// The worst errors of passing comparisons in this process, printed at the end of the run
// (wkv7_cuda_emulated_test.cpp), so that the margins below the tolerances are on record.
struct ErrorStats {
    double float32_nmse = 0.0;  // worst NMSE of a float32 comparison
    double bf16_ratio = 0.0;    // worst |got − ref| / bound of a bf16 comparison
};
inline ErrorStats& error_stats() {
    static ErrorStats stats;
    return stats;
}

inline double rms(const std::vector<double>& x) {
    double sum = 0.0;
    for (double e : x) {
        sum += e * e;
    }
    return x.empty() ? 0.0 : std::sqrt(sum / static_cast<double>(x.size()));
}

inline ::testing::AssertionResult same_size(const std::vector<double>& ref,
                                            const std::vector<double>& got) {
    if (ref.size() != got.size()) {
        return ::testing::AssertionFailure()
               << "size mismatch: ref " << ref.size() << " vs got " << got.size();
    }
    return ::testing::AssertionSuccess();
}

inline ::testing::AssertionResult nmse_within(const std::vector<double>& ref,
                                              const std::vector<double>& got, double max_nmse) {
    if (auto sized = same_size(ref, got); !sized) {
        return sized;
    }
    double num = 0.0, den = 0.0, worst = -1.0;
    size_t at = 0;
    for (size_t e = 0; e < ref.size(); ++e) {
        const double diff = std::abs(ref[e] - got[e]);
        if (!std::isfinite(got[e]) || diff > worst) {
            worst = std::isfinite(got[e]) ? diff : INFINITY;
            at = e;
        }
        num += diff * diff;
        den += ref[e] * ref[e];
    }
    const double nmse = den == 0.0 ? (num == 0.0 ? 0.0 : INFINITY) : num / den;
    std::ostringstream msg;
    msg << "nmse " << nmse << " (max " << max_nmse << "), " << ref.size() << " elements, worst at "
        << at << ": ref " << (ref.empty() ? 0.0 : ref[at]) << " got "
        << (got.empty() ? 0.0 : got[at]);
    if (max_nmse == kMaxNmseFloat32 && std::isfinite(nmse)) {
        error_stats().float32_nmse = std::max(error_stats().float32_nmse, nmse);
    }
    if (std::isfinite(worst) && nmse <= max_nmse) {
        return ::testing::AssertionSuccess() << msg.str();
    }
    return ::testing::AssertionFailure() << msg.str();
}

inline ::testing::AssertionResult bf16_within(const std::vector<double>& ref,
                                              const std::vector<double>& got) {
    if (auto sized = same_size(ref, got); !sized) {
        return sized;
    }
    const double slack = kBf16ComputeSlack * rms(ref);
    double worst_ratio = 0.0;
    size_t at = 0;
    for (size_t e = 0; e < ref.size(); ++e) {
        const double bound = kBf16UnitRoundoff * std::abs(ref[e]) + slack;
        const double ratio = std::abs(got[e] - ref[e]) / bound;
        if (!(ratio <= worst_ratio)) {  // also catches NaN
            worst_ratio = std::isnan(ratio) ? INFINITY : ratio;
            at = e;
        }
    }
    std::ostringstream msg;
    msg << "worst |got - ref| / (2^-8 |ref| + " << kBf16ComputeSlack << " rms) = " << worst_ratio
        << " at " << at << ": ref " << ref[at] << " got " << got[at] << ", " << ref.size()
        << " elements, nmse " << nmse_within(ref, got, 1.0).message();
    if (std::isfinite(worst_ratio)) {
        error_stats().bf16_ratio = std::max(error_stats().bf16_ratio, worst_ratio);
    }
    if (worst_ratio <= 1.0) {
        return ::testing::AssertionSuccess() << msg.str();
    }
    return ::testing::AssertionFailure() << msg.str();
}

// Outputs of a kernel run against the oracle. io: the run's I/O type; grads: whether the
// backward ran; dstate0 is compared when the run produced it.
inline void expect_outputs_close(const Outputs& ref, const Outputs& got, IoType io, bool grads) {
    auto io_close = [&](const std::vector<double>& r, const std::vector<double>& g) {
        return io == IoType::kBf16 ? bf16_within(r, g) : nmse_within(r, g, kMaxNmseFloat32);
    };
    EXPECT_TRUE(io_close(ref.y, got.y)) << "y";
    EXPECT_TRUE(nmse_within(ref.state_final, got.state_final, kMaxNmseFloat32)) << "state_final";
    if (!got.checkpoints.empty()) {
        EXPECT_TRUE(nmse_within(ref.checkpoints, got.checkpoints, kMaxNmseFloat32))
            << "checkpoints";
    }
    if (!grads) {
        return;
    }
    const std::vector<double> Outputs::*const io_grads[] = {
        &Outputs::dr, &Outputs::dw, &Outputs::dk, &Outputs::dv, &Outputs::da, &Outputs::db};
    const char* const names[] = {"dr", "dw", "dk", "dv", "da", "db"};
    for (int g = 0; g < 6; ++g) {
        EXPECT_TRUE(io_close(ref.*io_grads[g], got.*io_grads[g])) << names[g];
    }
    if (!got.dstate0.empty()) {
        EXPECT_TRUE(nmse_within(ref.dstate0, got.dstate0, kMaxNmseFloat32)) << "dstate0";
    }
}

// Bit-for-bit equality of two runs' outputs (same program, same arithmetic).
inline ::testing::AssertionResult outputs_identical(const Outputs& x, const Outputs& y) {
    const std::vector<double> Outputs::*const all[] = {
        &Outputs::y,  &Outputs::state_final, &Outputs::checkpoints, &Outputs::dr,
        &Outputs::dw, &Outputs::dk,          &Outputs::dv,          &Outputs::da,
        &Outputs::db, &Outputs::dstate0};
    const char* const names[] = {"y",  "state_final", "checkpoints", "dr", "dw",
                                 "dk", "dv",          "da",          "db", "dstate0"};
    for (int o = 0; o < 10; ++o) {
        const std::vector<double>& a = x.*all[o];
        const std::vector<double>& b = y.*all[o];
        if (a.size() != b.size()) {
            return ::testing::AssertionFailure()
                   << names[o] << ": sizes " << a.size() << " vs " << b.size();
        }
        for (size_t e = 0; e < a.size(); ++e) {
            if (std::memcmp(&a[e], &b[e], sizeof(double)) != 0) {
                return ::testing::AssertionFailure()
                       << names[o] << "[" << e << "]: " << a[e] << " vs " << b[e];
            }
        }
    }
    return ::testing::AssertionSuccess();
}

// Two runs' checkpoints of shape s (key-major (B·H, C, N, N)) within the float32 NMSE bound,
// chunk by chunk: every chunk of every head is compared by itself, so that a small state is not
// hidden by a large one; the first chunk beyond the bound fails, named.
inline ::testing::AssertionResult checkpoints_close_chunk_by_chunk(const Outputs& x,
                                                                   const Outputs& y,
                                                                   const Shape& s) {
    const int64_t nn = s.N * s.N, chunks = wkv7_num_chunks(s.T);
    for (int64_t bh = 0; bh < s.B * s.H; ++bh) {
        for (int64_t c = 0; c < chunks; ++c) {
            const auto begin = (bh * chunks + c) * nn;
            const std::vector<double> a(x.checkpoints.begin() + begin,
                                        x.checkpoints.begin() + begin + nn);
            const std::vector<double> b(y.checkpoints.begin() + begin,
                                        y.checkpoints.begin() + begin + nn);
            if (auto close = nmse_within(a, b, kMaxNmseFloat32); !close) {
                return close << " (bh " << bh << " chunk " << c << ")";
            }
        }
    }
    return ::testing::AssertionSuccess();
}

}  // namespace statetrack::kernels::cuda_testing
