// Shared by the selective-scan tests: random inputs shaped like Mamba's use of the op,
// gradients of any implementation through a random upstream loss, and the tolerances.
//
// Inputs: u, Bm, Cm ~ N(0, 1); delta = softplus(N(0, 1) − 1) ∈ (0, ~3); A = −U(0.05, 4)
// (so delta·A reaches from ~0, eigenvalues near 1, to ~−12, eigenvalues near 0, or near −1 in
// the negative mode); Dskip ~ N(0, 1); h0 ~ N(0, 1)/2 when asked for. Everything is drawn in
// float64 from a seeded generator, then rounded to the requested dtype: comparing a float32
// kernel with a float64 oracle on the rounded inputs measures the kernel's error alone.
#pragma once

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

#include "kernels/selective_scan.h"
#include "kernels/selective_scan_reference.h"
#include "tests/testing/tensor_compare.h"

namespace statetrack::kernels::testing {

struct ScanShape {
    int64_t B, T, D, S;
    bool with_h0;
    bool negative_eigenvalues;
};

inline std::string shape_name(const ScanShape& s) {
    return "B" + std::to_string(s.B) + "_T" + std::to_string(s.T) + "_D" + std::to_string(s.D) +
           "_S" + std::to_string(s.S) + (s.with_h0 ? "_h0" : "") +
           (s.negative_eigenvalues ? "_neg" : "_pos");
}

// Readable parameter names in gtest failure messages.
inline void PrintTo(const ScanShape& s, std::ostream* os) { *os << shape_name(s); }

struct ScanInputs {
    torch::Tensor u, delta, A, Bm, Cm, Dskip;
    torch::Tensor h0;  // undefined when absent
    bool negative_eigenvalues = false;

    ScanInputs to(torch::ScalarType dtype) const {
        auto cast = [&](const torch::Tensor& t) { return t.defined() ? t.to(dtype) : t; };
        return {cast(u),  cast(delta), cast(A),  cast(Bm),
                cast(Cm), cast(Dskip), cast(h0), negative_eigenvalues};
    }
};

inline ScanInputs make_scan_inputs(const ScanShape& s, torch::ScalarType dtype, uint64_t seed) {
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    const auto f64 = torch::TensorOptions().dtype(torch::kFloat64);
    ScanInputs in;
    in.u = torch::randn({s.B, s.T, s.D}, gen, f64);
    in.delta = torch::softplus(torch::randn({s.B, s.T, s.D}, gen, f64) - 1.0);
    in.A = -(0.05 + 3.95 * torch::rand({s.D, s.S}, gen, f64));
    in.Bm = torch::randn({s.B, s.T, s.S}, gen, f64);
    in.Cm = torch::randn({s.B, s.T, s.S}, gen, f64);
    in.Dskip = torch::randn({s.D}, gen, f64);
    if (s.with_h0) {
        in.h0 = 0.5 * torch::randn({s.B, s.D, s.S}, gen, f64);
    }
    in.negative_eigenvalues = s.negative_eigenvalues;
    return in.to(dtype);
}

// An upstream loss L = Σ y·gy + Σ h_final·gh with random gy, gh (float64, seeded).
struct Upstream {
    torch::Tensor gy, gh;
};
inline Upstream make_upstream(const ScanShape& s, uint64_t seed) {
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    const auto f64 = torch::TensorOptions().dtype(torch::kFloat64);
    return {torch::randn({s.B, s.T, s.D}, gen, f64), torch::randn({s.B, s.D, s.S}, gen, f64)};
}

using ScanFn = std::function<std::tuple<torch::Tensor, torch::Tensor>(
    const torch::Tensor&, const torch::Tensor&, const torch::Tensor&, const torch::Tensor&,
    const torch::Tensor&, const torch::Tensor&, const c10::optional<torch::Tensor>&, bool)>;

inline const ScanFn kScanOp = [](const torch::Tensor& u, const torch::Tensor& delta,
                                 const torch::Tensor& A, const torch::Tensor& Bm,
                                 const torch::Tensor& Cm, const torch::Tensor& Dskip,
                                 const c10::optional<torch::Tensor>& h0, bool negative) {
    return selective_scan(u, delta, A, Bm, Cm, Dskip, h0, negative);
};

inline const ScanFn kScanReference = [](const torch::Tensor& u, const torch::Tensor& delta,
                                        const torch::Tensor& A, const torch::Tensor& Bm,
                                        const torch::Tensor& Cm, const torch::Tensor& Dskip,
                                        const c10::optional<torch::Tensor>& h0, bool negative) {
    return selective_scan_reference(u, delta, A, Bm, Cm, Dskip, h0, negative);
};

// Tolerances from precision, against the float64 oracle on the same (rounded) inputs. float32
// carries ~6e-8 relative rounding per value, so NMSE ~1e-14 is its floor; the worst measured
// over the shape table (selective_scan_cpu_test.cpp prints it) is 1.0e-13 for float32 and
// 2.2e-31 for float64.
constexpr double kMaxNmseFloat32 = 1e-11;
constexpr double kMaxNmseFloat64 = 1e-27;
inline double max_nmse(torch::ScalarType dtype) {
    return dtype == torch::kFloat32 ? kMaxNmseFloat32 : kMaxNmseFloat64;
}

// Outputs and gradients of L: du, ddelta, dA, dBm, dCm, dDskip and dh0 (if h0 given).
struct ScanRun {
    torch::Tensor y, h_final;
    std::vector<torch::Tensor> grads;
};
inline const char* const kGradNames[] = {"du", "ddelta", "dA", "dBm", "dCm", "dDskip", "dh0"};

inline ScanRun run_with_grads(const ScanFn& fn, const ScanInputs& in, const Upstream& up) {
    std::vector<torch::Tensor> leaves;
    for (const torch::Tensor* t : {&in.u, &in.delta, &in.A, &in.Bm, &in.Cm, &in.Dskip, &in.h0}) {
        if (t->defined()) {
            leaves.push_back(t->detach().clone().requires_grad_(true));
        }
    }
    const c10::optional<torch::Tensor> h0 =
        in.h0.defined() ? c10::optional<torch::Tensor>(leaves[6]) : c10::nullopt;
    auto [y, h_final] = fn(leaves[0], leaves[1], leaves[2], leaves[3], leaves[4], leaves[5], h0,
                           in.negative_eigenvalues);
    const torch::Tensor loss =
        (y * up.gy.to(y.scalar_type())).sum() + (h_final * up.gh.to(h_final.scalar_type())).sum();
    return {y.detach(), h_final.detach(), torch::autograd::grad({loss}, leaves)};
}

// The largest NMSE over outputs and gradients (for reporting measured errors).
inline double worst_nmse(const ScanRun& ref, const ScanRun& got) {
    double worst = std::max(statetrack::testing::nmse(ref.y, got.y),
                            statetrack::testing::nmse(ref.h_final, got.h_final));
    for (size_t i = 0; i < ref.grads.size() && i < got.grads.size(); ++i) {
        worst = std::max(worst, statetrack::testing::nmse(ref.grads[i], got.grads[i]));
    }
    return worst;
}

inline void expect_grads_close(const ScanRun& ref, const ScanRun& got, double max) {
    ASSERT_EQ(ref.grads.size(), got.grads.size());
    for (size_t i = 0; i < ref.grads.size(); ++i) {
        EXPECT_TRUE(statetrack::testing::tensors_close(ref.grads[i], got.grads[i], max))
            << kGradNames[i];
    }
}
inline void expect_runs_close(const ScanRun& ref, const ScanRun& got, double max) {
    EXPECT_TRUE(statetrack::testing::tensors_close(ref.y, got.y, max)) << "y";
    EXPECT_TRUE(statetrack::testing::tensors_close(ref.h_final, got.h_final, max)) << "h_final";
    expect_grads_close(ref, got, max);
}

// Fixed torch thread count for the scope, restored afterwards.
class ThreadsGuard {
  public:
    explicit ThreadsGuard(int n) : previous_(at::get_num_threads()) { at::set_num_threads(n); }
    ~ThreadsGuard() { at::set_num_threads(previous_); }
    ThreadsGuard(const ThreadsGuard&) = delete;
    ThreadsGuard& operator=(const ThreadsGuard&) = delete;

  private:
    int previous_;
};

}  // namespace statetrack::kernels::testing
