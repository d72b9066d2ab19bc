// The WKV7 op's test descriptor (Wkv7Op, for tests/kernels/op_registry.h): random inputs shaped
// like RWKV-7's use of the op, the op and its float64 reference, and the tolerances.
//
// Inputs (B, T, H, N): r, v ~ N(0, 1); k ~ N(0, 1)/2; kk ~ N(0, 1) L2-normalised per head,
// α ~ U(0, 1), a = −kk, b = kk·α (the model's call, a contractive transition); w from a
// DecayRange; state0 (B, H, N, N) ~ N(0, 1)/2 when asked for. Everything is drawn in float64
// from a seeded generator, then rounded to the requested dtype: comparing a float32 kernel
// with a float64 oracle on the rounded inputs measures the kernel's error alone.
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

#include "kernels/wkv7.h"
#include "kernels/wkv7_reference.h"
#include "tests/kernels/op_registry.h"

namespace statetrack::kernels::testing {

enum class DecayRange {
    kModel,     // RWKV-7's exp(−e^{−0.5}·sigmoid(d)) ∈ (0.545, 1)
    kFull,      // U(0, 1)
    kNearZero,  // 1e-4 · U(0.5, 1.5)
    kNearOne,   // 1 − 1e-6 · U(0, 1)
};

inline const char* decay_name(DecayRange d) {
    switch (d) {
        case DecayRange::kModel:
            return "model";
        case DecayRange::kFull:
            return "full";
        case DecayRange::kNearZero:
            return "near0";
        default:
            return "near1";
    }
}

struct Wkv7Shape {
    int64_t B, T, H, N;
    DecayRange decay;
    bool with_state0;
};

inline std::string shape_name(const Wkv7Shape& s) {
    return sizes_name({{"B", s.B}, {"T", s.T}, {"H", s.H}, {"N", s.N}}) + "_" +
           decay_name(s.decay) + (s.with_state0 ? "_s0" : "");
}

// Readable parameter names in gtest failure messages.
inline void PrintTo(const Wkv7Shape& s, std::ostream* os) { *os << shape_name(s); }

struct Wkv7Op;
struct Wkv7Inputs {
    using Op = Wkv7Op;
    torch::Tensor r, w, k, v, a, b;
    torch::Tensor state0;  // undefined when absent

    std::vector<torch::Tensor*> fields() { return {&r, &w, &k, &v, &a, &b, &state0}; }
    Wkv7Inputs to(torch::ScalarType dtype) const { return cast_inputs(*this, dtype); }
};

inline torch::Tensor draw_decay(DecayRange range, c10::IntArrayRef sizes, at::Generator& gen) {
    const auto f64 = torch::TensorOptions().dtype(torch::kFloat64);
    switch (range) {
        case DecayRange::kModel:
            return torch::exp(-std::exp(-0.5) *
                              torch::sigmoid(2.0 * torch::randn(sizes, gen, f64)));
        case DecayRange::kFull:
            return torch::rand(sizes, gen, f64);
        case DecayRange::kNearZero:
            return 1e-4 * (0.5 + torch::rand(sizes, gen, f64));
        default:
            return 1.0 - 1e-6 * torch::rand(sizes, gen, f64);
    }
}

inline Wkv7Inputs make_wkv7_inputs(const Wkv7Shape& s, torch::ScalarType dtype, uint64_t seed) {
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    const auto f64 = torch::TensorOptions().dtype(torch::kFloat64);
    const std::vector<int64_t> sizes = {s.B, s.T, s.H, s.N};
    Wkv7Inputs in;
    in.r = torch::randn(sizes, gen, f64);
    in.w = draw_decay(s.decay, sizes, gen);
    in.k = 0.5 * torch::randn(sizes, gen, f64);
    in.v = torch::randn(sizes, gen, f64);
    torch::Tensor kk = torch::randn(sizes, gen, f64);
    kk = kk / kk.norm(2, -1, /*keepdim=*/true);
    in.a = -kk;
    in.b = kk * torch::rand(sizes, gen, f64);
    if (s.with_state0) {
        in.state0 = 0.5 * torch::randn({s.B, s.H, s.N, s.N}, gen, f64);
    }
    return in.to(dtype);
}

using Wkv7Fn = std::function<std::tuple<torch::Tensor, torch::Tensor>(
    const torch::Tensor&, const torch::Tensor&, const torch::Tensor&, const torch::Tensor&,
    const torch::Tensor&, const torch::Tensor&, const c10::optional<torch::Tensor>&)>;

inline const Wkv7Fn kWkv7Op =
    [](const torch::Tensor& r, const torch::Tensor& w, const torch::Tensor& k,
       const torch::Tensor& v, const torch::Tensor& a, const torch::Tensor& b,
       const c10::optional<torch::Tensor>& s0) { return wkv7(r, w, k, v, a, b, s0); };

inline const Wkv7Fn kWkv7Reference =
    [](const torch::Tensor& r, const torch::Tensor& w, const torch::Tensor& k,
       const torch::Tensor& v, const torch::Tensor& a, const torch::Tensor& b,
       const c10::optional<torch::Tensor>& s0) { return wkv7_reference(r, w, k, v, a, b, s0); };

inline Upstream make_upstream(const Wkv7Shape& s, uint64_t seed) {
    return make_upstream({s.B, s.T, s.H, s.N}, {s.B, s.H, s.N, s.N}, seed);
}

// The WKV7 op's descriptor for the registry (tests/kernels/op_registry.h): gradients of L are
// dr, dw, dk, dv, da, db and dstate0 (if state0 given).
struct Wkv7Op {
    using Shape = Wkv7Shape;
    using Inputs = Wkv7Inputs;
    using Fn = Wkv7Fn;
    static inline const Fn& kOp = kWkv7Op;
    static inline const Fn& kReference = kWkv7Reference;
    static constexpr auto make_inputs = &make_wkv7_inputs;
    static constexpr auto state_dtype = &wkv7_state_dtype;

    // Tolerances from precision, against the float64 oracle on the same (rounded) inputs.
    // float32 carries ~6e-8 relative rounding per value, so NMSE ~1e-14 is its floor; the worst
    // measured over the tests is 6e-14 for float32 and 4e-31 for float64.
    static constexpr double kMaxNmseFloat32 = 1e-11;
    static constexpr double kMaxNmseFloat64 = 1e-26;

    static const OpSignature& signature() {
        static const OpSignature s{{"r", "w", "k", "v", "a", "b", "state0"},
                                   {true, true, true, true, true, true, false},
                                   "state_final"};
        return s;
    }
    static OpCall bind(const Fn& fn, const Inputs&) {
        return [fn](const std::vector<torch::Tensor>& x) {
            return fn(x[0], x[1], x[2], x[3], x[4], x[5], optional_state(x[6]));
        };
    }
};

}  // namespace statetrack::kernels::testing
