// Error metrics between a reference tensor and a result, shared by the torch test suites
// (through tensor_compare.h) and the op benchmarks' checks before timing (bench/op_bench.h).
// Torch only, no GoogleTest. Computed in float64 on CPU, whatever the inputs' dtype and device:
//   nmse(ref, got)      = Σ (ref − got)² / Σ ref²; 0 when both sums are 0, ∞ when only
//                         Σ ref² is                                  (ggml's test metric)
//   err_ratio(ref, got) = rms(ref − got) / rms(ref) = √nmse            (RWKV-CUDA / fla metric)
// ref and got: the same shape, any dtype.
#pragma once

#include <torch/torch.h>

#include <cmath>
#include <limits>

namespace statetrack::testing {

inline torch::Tensor as_double(const torch::Tensor& t) {
    return t.detach().to(torch::kCPU, torch::kFloat64).contiguous();
}

inline double nmse(const torch::Tensor& ref, const torch::Tensor& got) {
    const torch::Tensor r = as_double(ref);
    const double num = (r - as_double(got)).square().sum().item<double>();
    const double den = r.square().sum().item<double>();
    if (den == 0.0) {
        return num == 0.0 ? 0.0 : std::numeric_limits<double>::infinity();
    }
    return num / den;
}

inline double err_ratio(const torch::Tensor& ref, const torch::Tensor& got) {
    return std::sqrt(nmse(ref, got));
}

}  // namespace statetrack::testing
