// The op-benchmark registry (as fla's benchmark registry): an op declares once, in an OpBench,
// its benchmark inputs, its fast path and its torch-loop reference, and the programs share the
// check against the float64 oracle before timing, the google-benchmark loop and main().
//
// Contract: an op is called on its argument list (OpBench::Call, as make_inputs returns it),
// without an initial state, and returns (y, state_final). Benchmarks, in registration (= run)
// order, each with Arg(T) for T in steps, milliseconds, real time:
//   torch_loop_forward, <family>_forward, torch_loop_fwd_bwd, <family>_fwd_bwd
// "forward" runs under no-grad; "fwd_bwd" is autograd forward + backward of
// L = Σ y·gy + Σ state_final·gs (gy, gs seeded float32 randn of y_sizes(T), state_sizes).
// Counters: speedup (torch-loop time over op time, same T and mode, measured in the same run)
// and whatever OpBench::counters sets; items = iterations × items_per_step × T. The check runs
// the float32 op against the reference on float64 copies of the same inputs (y and
// state_final at every T, every gradient at the smallest T) and fails main() (exit 1) beyond
// NMSE 1e-10.
#pragma once

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "bench/bench_support.h"
#include "tests/testing/tensor_metrics.h"

namespace statetrack::bench {

struct OpBench {
    using Call = std::function<std::tuple<torch::Tensor, torch::Tensor>(
        const std::vector<torch::Tensor>& args)>;
    std::string program;  // for messages: "wkv7_bench"
    std::string family;   // the op's benchmark names: <family>_forward, <family>_fwd_bwd
    std::vector<int64_t> steps;
    std::function<std::vector<torch::Tensor>(int64_t T, torch::ScalarType)> make_inputs;
    std::function<std::vector<int64_t>(int64_t T)> y_sizes;
    std::vector<int64_t> state_sizes;
    Call op, reference;
    std::vector<std::string> grad_names;  // one per argument
    std::string state_name;               // "state_final"
    int64_t items_per_step;               // SetItemsProcessed per step of T
    // Op-specific counters of a timed run: seconds per call, mode forward or fwd_bwd.
    std::function<void(benchmark::State&, int64_t T, double seconds, bool backward)> counters;
    std::vector<std::pair<std::string, std::string>> context;  // JSON context entries
};

inline torch::Tensor seeded_randn(const std::vector<int64_t>& sizes, uint64_t seed) {
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    return torch::randn(sizes, gen, torch::TensorOptions().dtype(torch::kFloat32));
}

inline std::vector<torch::Tensor> to_dtype(const std::vector<torch::Tensor>& in,
                                           torch::ScalarType dtype) {
    std::vector<torch::Tensor> out;
    for (const torch::Tensor& t : in) {
        out.push_back(t.to(dtype));
    }
    return out;
}

// The gradients of L w.r.t. every argument, then y and state_final.
inline std::vector<torch::Tensor> forward_backward(const OpBench::Call& call,
                                                   const std::vector<torch::Tensor>& in,
                                                   const torch::Tensor& gy,
                                                   const torch::Tensor& gs) {
    std::vector<torch::Tensor> leaves;
    for (const torch::Tensor& t : in) {
        leaves.push_back(t.detach().requires_grad_(true));
    }
    auto [y, s] = call(leaves);
    std::vector<torch::Tensor> out =
        torch::autograd::grad({(y * gy).sum() + (s * gs).sum()}, leaves);
    out.push_back(y.detach());
    out.push_back(s.detach());
    return out;
}

// The op (float32) against the float64 oracle on the benchmark's inputs. Returns false loudly.
inline bool check_before_timing(const OpBench& op) {
    constexpr double kMaxNmse = 1e-10;
    for (int64_t T : op.steps) {
        const auto in = op.make_inputs(T, torch::kFloat32);
        torch::NoGradGuard no_grad;
        auto [y, s] = op.op(in);
        auto [y64, s64] = op.reference(to_dtype(in, torch::kFloat64));
        const double ey = statetrack::testing::nmse(y64, y), es = statetrack::testing::nmse(s64, s);
        std::fprintf(stderr, "check T=%ld: nmse y %.2e, %s %.2e\n", long(T), ey,
                     op.state_name.c_str(), es);
        if (!(ey <= kMaxNmse && es <= kMaxNmse)) {
            std::fprintf(stderr, "%s: the op does not match the float64 oracle at T=%ld\n",
                         op.program.c_str(), long(T));
            return false;
        }
    }
    const int64_t T = op.steps.front();
    const auto in = op.make_inputs(T, torch::kFloat32);
    const torch::Tensor gy = seeded_randn(op.y_sizes(T), 1), gs = seeded_randn(op.state_sizes, 2);
    const auto got = forward_backward(op.op, in, gy, gs);
    const auto ref = forward_backward(op.reference, to_dtype(in, torch::kFloat64),
                                      gy.to(torch::kFloat64), gs.to(torch::kFloat64));
    std::vector<std::string> names = op.grad_names;
    names.insert(names.end(), {"y", op.state_name});
    double worst = 0.0;
    for (size_t i = 0; i < ref.size(); ++i) {
        const double e = statetrack::testing::nmse(ref[i], got[i]);
        worst = std::max(worst, e);
        if (!(e <= kMaxNmse)) {
            std::fprintf(stderr, "%s: %s differs from the float64 oracle (nmse %.2e)\n",
                         op.program.c_str(), names.at(i).c_str(), e);
            return false;
        }
    }
    std::fprintf(stderr,
                 "check T=%ld: all gradients within nmse %.0e (worst %.2e). All results match.\n",
                 long(T), kMaxNmse, worst);
    return true;
}

// Torch-loop seconds per call, by "mode/T", for the speedup of the op run after it.
inline std::map<std::string, double>& loop_seconds() {
    static std::map<std::string, double> seconds;
    return seconds;
}

// The timed loop: the reference (torch_loop) or the op, forward or forward + backward.
inline void run_op(benchmark::State& state, const OpBench& op, bool torch_loop, bool backward) {
    const int64_t T = state.range(0);
    const OpBench::Call& call = torch_loop ? op.reference : op.op;
    const auto in = op.make_inputs(T, torch::kFloat32);
    const torch::Tensor gy = seeded_randn(op.y_sizes(T), 1), gs = seeded_randn(op.state_sizes, 2);
    const auto start = std::chrono::steady_clock::now();
    for (auto _ : state) {
        if (backward) {
            benchmark::DoNotOptimize(forward_backward(call, in, gy, gs));
        } else {
            torch::NoGradGuard no_grad;
            benchmark::DoNotOptimize(call(in));
        }
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() /
        double(state.iterations());
    const std::string key = fmt::format("{}/{}", backward ? "fwd_bwd" : "forward", T);
    if (torch_loop) {
        loop_seconds()[key] = seconds;
    } else if (loop_seconds().count(key) != 0) {
        state.counters["speedup"] = loop_seconds()[key] / seconds;
    }
    if (op.counters) {
        op.counters(state, T, seconds, backward);
    }
    state.SetItemsProcessed(state.iterations() * op.items_per_step * T);
}

// Registration order is run order: each torch loop before the op it is compared to.
inline void register_op_benchmarks(const OpBench& op) {
    for (bool backward : {false, true}) {
        const char* mode = backward ? "fwd_bwd" : "forward";
        for (bool torch_loop : {true, false}) {
            const std::string name = (torch_loop ? "torch_loop" : op.family) + "_" + mode;
            auto* b =
                benchmark::RegisterBenchmark(name.c_str(),
                                             [&op, torch_loop, backward](benchmark::State& s) {
                                                 run_op(s, op, torch_loop, backward);
                                             })
                    ->Unit(benchmark::kMillisecond)
                    ->UseRealTime();
            for (int64_t T : op.steps) {
                b->Arg(T);
            }
        }
    }
}

// The whole program: --threads=N, the JSON context, the check, then the benchmarks;
// `register_first` registers benchmarks that run before the op's (may be null).
inline int op_bench_main(int argc, char** argv, const OpBench& op,
                         const std::function<void()>& register_first = {}) {
    // LibTorch's default here can be below the core count; fix it so runs are comparable.
    apply_threads_flag(&argc, argv);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
        return 1;
    }
    benchmark::AddCustomContext("torch_num_threads", std::to_string(at::get_num_threads()));
    for (const auto& [key, value] : op.context) {
        benchmark::AddCustomContext(key, value);
    }
    if (!check_before_timing(op)) {
        return 1;
    }
    if (register_first) {
        register_first();
    }
    register_op_benchmarks(op);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}

}  // namespace statetrack::bench
