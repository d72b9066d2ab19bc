// The kernels tests' op registry (as ggml's test-backend-ops): an op declares once, in its
// descriptor (tests/kernels/wkv7_testing.h, tests/kernels/selective_scan_testing.h), its
// arguments, its float64 reference, its fast paths, its random inputs and its tolerances; the
// runs with gradients, the comparison against the oracle (NMSE, tests/testing/tensor_compare.h)
// and the finite-difference check here serve every op. The gtest suites an op registers from
// its descriptor are in tests/kernels/op_suites.h.
//
// Contract: an op is called on its tensor arguments in declaration order, the last one the
// optional initial state (undefined: absent), and returns (y, state_final). An Upstream is a
// random loss L = Σ y·gy + Σ state_final·gs; an OpRun holds both outputs and the gradients of L
// with respect to every defined argument, in argument order.
//
// Shape legend: y (B, T, ...), state_final (B, ...); each descriptor gives its op's own.
// An op's Inputs struct has `using Op` (its descriptor), `fields()` (pointers to its tensors in
// argument order) and `to(dtype)`. Its descriptor has Shape, Inputs, Fn (the typed call), kOp
// and kReference (Fns), kMaxNmseFloat32/64, make_inputs(shape, dtype, seed), state_dtype(dtype),
// signature() and bind(fn, inputs) (the call on an argument list, the op's flags taken from the
// inputs); make_upstream(shape, seed) and shape_name(shape) are overloads beside it.
#pragma once

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "kernels/tensor_pointers.h"
#include "tests/testing/tensor_compare.h"

namespace statetrack::kernels::testing {

using OpOutputs = std::tuple<torch::Tensor, torch::Tensor>;  // y, state_final
// An op on its argument list (declaration order, the last the optional initial state).
using OpCall = std::function<OpOutputs(const std::vector<torch::Tensor>& args)>;

// How an op's arguments and outputs are named in failure messages, and which arguments are
// sequences: per_step[i] says args[i] has its time axis at dim 1, (B, T, ...).
struct OpSignature {
    std::vector<std::string> args;
    std::vector<bool> per_step;
    std::string state_final;
    std::string grad_name(size_t i) const { return "d" + args.at(i); }
};

// The optional initial state as the ops take it: absent when undefined.
inline c10::optional<torch::Tensor> optional_state(const torch::Tensor& t) {
    return t.defined() ? c10::optional<torch::Tensor>(t) : c10::nullopt;
}

// An upstream loss L = Σ y·gy + Σ state_final·gs with random gy, gs (float64, seeded).
struct Upstream {
    torch::Tensor gy, gs;
};
inline Upstream make_upstream(c10::IntArrayRef y_sizes, c10::IntArrayRef state_sizes,
                              uint64_t seed) {
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    const auto f64 = torch::TensorOptions().dtype(torch::kFloat64);
    torch::Tensor gy = torch::randn(y_sizes, gen, f64);
    return {gy, torch::randn(state_sizes, gen, f64)};
}

// Outputs and gradients of L (gradients of the defined arguments, in argument order).
struct OpRun {
    torch::Tensor y, state_final;
    std::vector<torch::Tensor> grads;
    const OpSignature* signature = nullptr;  // names for messages
};

// The op's arguments taken from its Inputs struct (tensor handles, not copies of the data).
template <typename Inputs>
std::vector<torch::Tensor> args_of(Inputs in) {
    std::vector<torch::Tensor> args;
    for (const torch::Tensor* t : in.fields()) {
        args.push_back(*t);
    }
    return args;
}

// Every defined tensor of `in` rounded to dtype; flags are kept.
template <typename Inputs>
Inputs cast_inputs(Inputs in, torch::ScalarType dtype) {
    for (torch::Tensor* t : in.fields()) {
        if (t->defined()) {
            *t = t->to(dtype);
        }
    }
    return in;
}

// Runs `call` on fresh leaf copies of the defined arguments and differentiates L.
inline OpRun run_call_with_grads(const OpCall& call, std::vector<torch::Tensor> args,
                                 const Upstream& up, const OpSignature& signature) {
    std::vector<torch::Tensor> leaves;
    for (torch::Tensor& t : args) {
        if (t.defined()) {
            t = t.detach().clone().requires_grad_(true);
            leaves.push_back(t);
        }
    }
    auto [y, state_final] = call(args);
    const torch::Tensor loss = (y * up.gy.to(y.scalar_type())).sum() +
                               (state_final * up.gs.to(state_final.scalar_type())).sum();
    return {y.detach(), state_final.detach(), torch::autograd::grad({loss}, leaves), &signature};
}

// The op's tolerance against its float64 oracle for inputs of dtype.
template <typename Op>
double op_max_nmse(torch::ScalarType dtype) {
    return dtype == torch::kFloat32 ? Op::kMaxNmseFloat32 : Op::kMaxNmseFloat64;
}

// The typed call of an op (its descriptor's Fn) on its Inputs.
template <typename Inputs>
OpRun run_with_grads(const typename Inputs::Op::Fn& fn, const Inputs& in, const Upstream& up) {
    using Op = typename Inputs::Op;
    return run_call_with_grads(Op::bind(fn, in), args_of(in), up, Op::signature());
}

inline std::string grad_name(const OpRun& run, size_t i) {
    return run.signature == nullptr ? "grad " + std::to_string(i) : run.signature->grad_name(i);
}

inline void expect_grads_close(const OpRun& ref, const OpRun& got, double max) {
    ASSERT_EQ(ref.grads.size(), got.grads.size());
    for (size_t i = 0; i < ref.grads.size(); ++i) {
        EXPECT_TRUE(statetrack::testing::tensors_close(ref.grads[i], got.grads[i], max))
            << grad_name(ref, i);
    }
}
inline void expect_runs_close(const OpRun& ref, const OpRun& got, double max) {
    EXPECT_TRUE(statetrack::testing::tensors_close(ref.y, got.y, max)) << "y";
    EXPECT_TRUE(statetrack::testing::tensors_close(ref.state_final, got.state_final, max))
        << (ref.signature == nullptr ? "state_final" : ref.signature->state_final);
    expect_grads_close(ref, got, max);
}

// The largest NMSE over outputs and gradients (for reporting measured errors).
inline double worst_nmse(const OpRun& ref, const OpRun& got) {
    double worst = std::max(statetrack::testing::nmse(ref.y, got.y),
                            statetrack::testing::nmse(ref.state_final, got.state_final));
    for (size_t i = 0; i < ref.grads.size() && i < got.grads.size(); ++i) {
        worst = std::max(worst, statetrack::testing::nmse(ref.grads[i], got.grads[i]));
    }
    return worst;
}

// `call` on steps [0, split) and then [split, T), the first call's state_final passed as the
// second call's initial state; y concatenated (arguments without a time axis go to both).
inline OpCall in_two_calls(OpCall call, const OpSignature& signature, int64_t split) {
    return [call, signature, split](const std::vector<torch::Tensor>& args) {
        std::vector<torch::Tensor> first = args, second = args;
        const int64_t T = args.front().size(1);
        for (size_t i = 0; i + 1 < args.size(); ++i) {
            if (signature.per_step.at(i)) {
                first[i] = args[i].narrow(1, 0, split);
                second[i] = args[i].narrow(1, split, T - split);
            }
        }
        auto [y1, s1] = call(first);
        second.back() = s1;
        auto [y2, s2] = call(second);
        return OpOutputs(torch::cat({y1, y2}, 1), s2);
    };
}

// `call` with one output cut out of the graph (detach()), so that a loss reaches only the other.
inline OpCall with_loss_on_y_only(OpCall call, bool loss_on_y) {
    return [call, loss_on_y](const std::vector<torch::Tensor>& args) {
        auto [y, s] = call(args);
        return loss_on_y ? OpOutputs(y, s.detach()) : OpOutputs(y.detach(), s);
    };
}

// Central differences of L, one element of one argument at a time (ggml's grad mode), against
// the autograd gradients of `call`; every argument must be defined.
inline void expect_autograd_matches_finite_differences(const OpCall& call,
                                                       const std::vector<torch::Tensor>& args,
                                                       const Upstream& up,
                                                       const OpSignature& signature,
                                                       double max_nmse) {
    const OpRun analytic = run_call_with_grads(call, args, up, signature);
    ASSERT_EQ(analytic.grads.size(), args.size());
    torch::NoGradGuard no_grad;
    std::vector<torch::Tensor> params;
    for (const torch::Tensor& t : args) {
        params.push_back(t.clone());
    }
    auto loss = [&] {
        auto [y, s] = call(params);
        return (y * up.gy).sum().item<double>() + (s * up.gs).sum().item<double>();
    };
    constexpr double kEps = 1e-6;
    for (size_t p = 0; p < params.size(); ++p) {
        torch::Tensor numeric = torch::empty_like(params[p]);
        auto flat = params[p].view(-1);
        for (int64_t e = 0; e < flat.numel(); ++e) {
            const double x = flat[e].item<double>();
            flat[e] = x + kEps;
            const double plus = loss();
            flat[e] = x - kEps;
            const double minus = loss();
            flat[e] = x;
            numeric.view(-1)[e] = (plus - minus) / (2 * kEps);
        }
        EXPECT_TRUE(statetrack::testing::tensors_close(numeric, analytic.grads[p], max_nmse))
            << signature.grad_name(p);
    }
}

// Non-contiguous views of the same values, for any (B, T, ...) tensor: one transposed out of
// (B, X, T, ...) storage, one sliced out of a longer (B, T + 3, ...) sequence.
inline torch::Tensor transposed_copy(const torch::Tensor& x) {
    return x.transpose(1, 2).contiguous().transpose(1, 2);
}
inline torch::Tensor sliced_copy(const torch::Tensor& x) {
    std::vector<int64_t> sizes = x.sizes().vec();
    sizes[1] += 3;
    torch::Tensor padded = torch::zeros(sizes, x.options());
    padded.narrow(1, 2, x.size(1)).copy_(x);
    return padded.narrow(1, 2, x.size(1));
}

// "B2_T7_D3" from {{"B", 2}, {"T", 7}, {"D", 3}}: the sizes part of a shape's test name.
inline std::string sizes_name(std::initializer_list<std::pair<const char*, int64_t>> sizes) {
    std::string name;
    for (const auto& [dim, size] : sizes) {
        name += (name.empty() ? "" : "_") + std::string(dim) + std::to_string(size);
    }
    return name;
}

// --- raw-pointer runs of an op's kernels ---

// The tensors one forward + backward of raw kernels reads and writes; outputs and gradients
// are allocated uninitialised (the kernels must write every element). The kernels' pointers
// are set with point_at (kernels/tensor_pointers.h).
struct KernelTensors {
    std::vector<torch::Tensor> args;  // the op's arguments, contiguous
    torch::Tensor dy, dstate_final;   // the Upstream in the arguments' dtype
    torch::Tensor checkpoints;
    OpRun out;  // y, state_final and a gradient shaped like each argument
};
template <typename Inputs>
KernelTensors kernel_tensors(const Inputs& in, const Upstream& up, c10::IntArrayRef state_sizes,
                             c10::IntArrayRef checkpoint_sizes) {
    KernelTensors t;
    t.args = args_of(in);
    const auto opts = t.args.front().options();
    t.dy = up.gy.to(opts.dtype());
    t.dstate_final = up.gs.to(opts.dtype());
    t.checkpoints = torch::empty(checkpoint_sizes, opts);
    t.out = {torch::empty_like(t.args.front()),
             torch::empty(state_sizes, opts),
             {},
             &Inputs::Op::signature()};
    for (const torch::Tensor& arg : t.args) {
        t.out.grads.push_back(torch::empty_like(arg));
    }
    return t;
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
