// Shared by the kernels tests: random WKV7 inputs shaped like RWKV-7's use of the op, gradients
// of any WKV7 implementation through a random upstream loss, and the comparison tolerances.
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
#include "tests/testing/tensor_compare.h"

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
    return "B" + std::to_string(s.B) + "_T" + std::to_string(s.T) + "_H" + std::to_string(s.H) +
           "_N" + std::to_string(s.N) + "_" + decay_name(s.decay) + (s.with_state0 ? "_s0" : "");
}

// Readable parameter names in gtest failure messages.
inline void PrintTo(const Wkv7Shape& s, std::ostream* os) { *os << shape_name(s); }

struct Wkv7Inputs {
    torch::Tensor r, w, k, v, a, b;
    torch::Tensor state0;  // undefined when absent

    Wkv7Inputs to(torch::ScalarType dtype) const {
        auto cast = [&](const torch::Tensor& t) { return t.defined() ? t.to(dtype) : t; };
        return {cast(r), cast(w), cast(k), cast(v), cast(a), cast(b), cast(state0)};
    }
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

// An upstream loss L = Σ y·gy + Σ state_final·gs with random gy, gs (float64, seeded).
struct Upstream {
    torch::Tensor gy, gs;
};
inline Upstream make_upstream(const Wkv7Shape& s, uint64_t seed) {
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    const auto f64 = torch::TensorOptions().dtype(torch::kFloat64);
    return {torch::randn({s.B, s.T, s.H, s.N}, gen, f64),
            torch::randn({s.B, s.H, s.N, s.N}, gen, f64)};
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

// Tolerances from precision, against the float64 oracle on the same (rounded) inputs. float32
// carries ~6e-8 relative rounding per value, so NMSE ~1e-14 is its floor; the worst measured
// over the tests is 6e-14 for float32 and 4e-31 for float64.
constexpr double kMaxNmseFloat32 = 1e-11;
constexpr double kMaxNmseFloat64 = 1e-26;
inline double max_nmse(torch::ScalarType dtype) {
    return dtype == torch::kFloat32 ? kMaxNmseFloat32 : kMaxNmseFloat64;
}

// Outputs and gradients of L: grads are dr, dw, dk, dv, da, db and dstate0 (if state0 given).
struct Wkv7Run {
    torch::Tensor y, state_final;
    std::vector<torch::Tensor> grads;
};
inline const char* const kGradNames[] = {"dr", "dw", "dk", "dv", "da", "db", "dstate0"};

inline Wkv7Run run_with_grads(const Wkv7Fn& fn, const Wkv7Inputs& in, const Upstream& up) {
    std::vector<torch::Tensor> leaves;
    for (const torch::Tensor* t : {&in.r, &in.w, &in.k, &in.v, &in.a, &in.b, &in.state0}) {
        if (t->defined()) {
            leaves.push_back(t->detach().clone().requires_grad_(true));
        }
    }
    const c10::optional<torch::Tensor> s0 =
        in.state0.defined() ? c10::optional<torch::Tensor>(leaves[6]) : c10::nullopt;
    auto [y, state_final] =
        fn(leaves[0], leaves[1], leaves[2], leaves[3], leaves[4], leaves[5], s0);
    const torch::Tensor loss = (y * up.gy.to(y.scalar_type())).sum() +
                               (state_final * up.gs.to(state_final.scalar_type())).sum();
    return {y.detach(), state_final.detach(), torch::autograd::grad({loss}, leaves)};
}

inline void expect_grads_close(const Wkv7Run& ref, const Wkv7Run& got, double max) {
    ASSERT_EQ(ref.grads.size(), got.grads.size());
    for (size_t i = 0; i < ref.grads.size(); ++i) {
        EXPECT_TRUE(statetrack::testing::tensors_close(ref.grads[i], got.grads[i], max))
            << kGradNames[i];
    }
}
inline void expect_runs_close(const Wkv7Run& ref, const Wkv7Run& got, double max) {
    EXPECT_TRUE(statetrack::testing::tensors_close(ref.y, got.y, max)) << "y";
    EXPECT_TRUE(statetrack::testing::tensors_close(ref.state_final, got.state_final, max))
        << "state_final";
    expect_grads_close(ref, got, max);
}

}  // namespace statetrack::kernels::testing
