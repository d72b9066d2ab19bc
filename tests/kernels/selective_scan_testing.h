// The selective scan's test descriptor (ScanOp, for tests/kernels/op_registry.h): random inputs
// shaped like Mamba's use of the op, the op and its float64 reference, and the tolerances.
//
// Inputs: u, Bm, Cm ~ N(0, 1); delta = softplus(N(0, 1) − 1) ∈ (0, ~3); A = −U(0.05, 4)
// (so delta·A reaches from ~0, eigenvalues near 1, to ~−12, eigenvalues near 0, or near −1 in
// the negative mode); Dskip ~ N(0, 1); h0 ~ N(0, 1)/2 when asked for. Everything is drawn in
// float64 from a seeded generator, then rounded to the requested dtype: comparing a float32
// kernel with a float64 oracle on the rounded inputs measures the kernel's error alone.
#pragma once

#include <ATen/CPUGeneratorImpl.h>
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
#include "tests/kernels/op_registry.h"

namespace statetrack::kernels::testing {

struct ScanShape {
    int64_t B, T, D, S;
    bool with_h0, negative_eigenvalues;
};

inline std::string shape_name(const ScanShape& s) {
    const char* mode = s.negative_eigenvalues ? "_neg" : "_pos";
    return sizes_name({{"B", s.B}, {"T", s.T}, {"D", s.D}, {"S", s.S}}) + (s.with_h0 ? "_h0" : "") +
           mode;
}

// Readable parameter names in gtest failure messages.
inline void PrintTo(const ScanShape& s, std::ostream* os) { *os << shape_name(s); }

struct ScanOp;
struct ScanInputs {
    torch::Tensor u, delta, A, Bm, Cm, Dskip, h0;  // h0 undefined when absent
    bool negative_eigenvalues = false;

    using Op = ScanOp;
    ScanInputs to(torch::ScalarType dtype) const { return cast_inputs(*this, dtype); }
    std::vector<torch::Tensor*> fields() { return {&u, &delta, &A, &Bm, &Cm, &Dskip, &h0}; }
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

inline Upstream make_upstream(const ScanShape& s, uint64_t seed) {
    return make_upstream({s.B, s.T, s.D}, {s.B, s.D, s.S}, seed);
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

// The selective scan's descriptor for the registry (tests/kernels/op_registry.h): gradients of
// L are du, ddelta, dA, dBm, dCm, dDskip and dh0 (if h0 given); the state is h, kept in the
// inputs' dtype.
struct ScanOp {
    static const OpSignature& signature() {
        static const OpSignature s{{"u", "delta", "A", "Bm", "Cm", "Dskip", "h0"},
                                   {true, true, false, true, true, false, false},
                                   "h_final"};
        return s;
    }
    using Fn = ScanFn;
    // The eigenvalue mode comes from the inputs.
    static OpCall bind(const Fn& fn, const ScanInputs& in) {
        return [fn, negative = in.negative_eigenvalues](const std::vector<torch::Tensor>& x) {
            return fn(x[0], x[1], x[2], x[3], x[4], x[5], optional_state(x[6]), negative);
        };
    }
    // Tolerances from precision, against the float64 oracle on the same (rounded) inputs.
    // float32 carries ~6e-8 relative rounding per value, so NMSE ~1e-14 is its floor; the worst
    // measured over the shape table (Shapes/SelectiveScanOpVsOracle prints it) is 1.0e-13 for
    // float32 and 2.2e-31 for float64.
    static constexpr double kMaxNmseFloat32 = 1e-11, kMaxNmseFloat64 = 1e-27;
    static constexpr auto state_dtype = [](torch::ScalarType dtype) { return dtype; };
    using Shape = ScanShape;
    static inline const Fn& kOp = kScanOp;
    using Inputs = ScanInputs;
    static inline const Fn& kReference = kScanReference;
    static constexpr auto make_inputs = &make_scan_inputs;
};

}  // namespace statetrack::kernels::testing
