// Selective-scan CPU op against the same recurrence written as a loop of LibTorch ops
// (selective_scan_reference, float32: ~12 ops on (B, D, S) tensors per step, its backward by
// autograd), forward (no grad) and forward+backward, at B=8, D=256, S=16, float32,
// T ∈ {128, 512, 2048}, positive eigenvalues (Mamba's default).
// Counters: gstate_per_s (state updates h[b,t,d,s] per second, 1e9), speedup (torch-loop time
// over op time, same T and mode, measured in the same run). Before any timing, main() checks
// the op against the float64 oracle on the benchmark's own inputs (outputs at every T, all
// gradients at the smallest T) and exits 1 on a mismatch. The torch thread count
// (--threads=N, default the hardware's) and the instruction set the kernel runs are recorded
// in the JSON context.
// bench/results/selective_scan_bench.json is a --threads=1 run: on the shared 2-vCPU VM the
// torch loop's ~12 OpenMP regions per step each waited on a descheduled second thread (16 ms
// per step with 2 threads against 0.08 ms with 1), which measured the machine, not the op.
// Usage: selective_scan_bench [--threads=N] [--benchmark_format=json] [--benchmark_filter=...]
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "kernels/selective_scan.h"
#include "kernels/selective_scan_reference.h"
#include "kernels/wkv7_cpu.h"

namespace {

namespace kernels = statetrack::kernels;

constexpr int64_t kB = 8, kD = 256, kS = 16;
constexpr int64_t kSteps[] = {128, 512, 2048};

std::map<std::string, double> g_loop_seconds;  // torch-loop seconds per call, by "mode/T"

using Impl = std::tuple<torch::Tensor, torch::Tensor> (*)(
    const torch::Tensor&, const torch::Tensor&, const torch::Tensor&, const torch::Tensor&,
    const torch::Tensor&, const torch::Tensor&, const c10::optional<torch::Tensor>&, bool);

// Mamba-like inputs: delta = softplus(N(0,1)/2 − 3) ≈ 0.05 (Mamba's init range),
// A = −(1 .. S) per channel (S4D-real), u, Bm, Cm ~ N(0, 1), Dskip = 1.
// Order: u, delta, A, Bm, Cm, Dskip.
std::vector<torch::Tensor> make_inputs(int64_t T, torch::ScalarType dtype) {
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(uint64_t{2024});
    const auto f64 = torch::TensorOptions().dtype(torch::kFloat64);
    const std::vector<torch::Tensor> in = {
        torch::randn({kB, T, kD}, gen, f64),
        torch::softplus(0.5 * torch::randn({kB, T, kD}, gen, f64) - 3.0),
        -torch::arange(1, kS + 1, f64).expand({kD, kS}).contiguous(),
        torch::randn({kB, T, kS}, gen, f64),
        torch::randn({kB, T, kS}, gen, f64),
        torch::ones({kD}, f64)};
    std::vector<torch::Tensor> out;
    for (const torch::Tensor& t : in) {
        out.push_back(t.to(dtype));
    }
    return out;
}

torch::Tensor seeded_randn(std::vector<int64_t> sizes, uint64_t seed, torch::ScalarType dtype) {
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    return torch::randn(sizes, gen, torch::TensorOptions().dtype(dtype));
}

// Gradients of Σ y·gy + Σ h_final·gh w.r.t. the six inputs, then y and h_final.
std::vector<torch::Tensor> forward_backward(Impl impl, const std::vector<torch::Tensor>& in,
                                            const torch::Tensor& gy, const torch::Tensor& gh) {
    std::vector<torch::Tensor> leaves;
    for (const torch::Tensor& t : in) {
        leaves.push_back(t.detach().requires_grad_(true));
    }
    auto [y, h] = impl(leaves[0], leaves[1], leaves[2], leaves[3], leaves[4], leaves[5], {}, false);
    std::vector<torch::Tensor> out =
        torch::autograd::grad({(y * gy).sum() + (h * gh).sum()}, leaves);
    out.push_back(y.detach());
    out.push_back(h.detach());
    return out;
}

double nmse(const torch::Tensor& ref, const torch::Tensor& got) {
    const torch::Tensor r = ref.to(torch::kFloat64), g = got.to(torch::kFloat64);
    return (r - g).square().sum().item<double>() / r.square().sum().item<double>();
}

// The op (float32) against the float64 oracle on the benchmark's inputs. Returns false loudly.
bool check_before_timing() {
    constexpr double kMaxNmse = 1e-10;
    for (int64_t T : kSteps) {
        const auto in = make_inputs(T, torch::kFloat32);
        torch::NoGradGuard no_grad;
        auto [y, h] = kernels::selective_scan(in[0], in[1], in[2], in[3], in[4], in[5]);
        std::vector<torch::Tensor> r64;
        for (const torch::Tensor& t : in) {
            r64.push_back(t.to(torch::kFloat64));
        }
        auto [y64, h64] =
            kernels::selective_scan_reference(r64[0], r64[1], r64[2], r64[3], r64[4], r64[5]);
        const double ey = nmse(y64, y), eh = nmse(h64, h);
        std::fprintf(stderr, "check T=%ld: nmse y %.2e, h_final %.2e\n", long(T), ey, eh);
        if (!(ey <= kMaxNmse && eh <= kMaxNmse)) {
            std::fprintf(stderr,
                         "selective_scan_bench: the op does not match the oracle at T=%ld\n",
                         long(T));
            return false;
        }
    }
    const int64_t T = kSteps[0];
    const auto in = make_inputs(T, torch::kFloat32);
    const torch::Tensor gy = seeded_randn({kB, T, kD}, 1, torch::kFloat32);
    const torch::Tensor gh = seeded_randn({kB, kD, kS}, 2, torch::kFloat32);
    std::vector<torch::Tensor> in64;
    for (const torch::Tensor& t : in) {
        in64.push_back(t.to(torch::kFloat64));
    }
    const auto got = forward_backward(&kernels::selective_scan, in, gy, gh);
    const auto ref = forward_backward(&kernels::selective_scan_reference, in64,
                                      gy.to(torch::kFloat64), gh.to(torch::kFloat64));
    const char* names[] = {"du", "ddelta", "dA", "dBm", "dCm", "dDskip", "y", "h_final"};
    double worst = 0.0;
    for (size_t i = 0; i < ref.size(); ++i) {
        const double e = nmse(ref[i], got[i]);
        worst = std::max(worst, e);
        if (!(e <= kMaxNmse)) {
            std::fprintf(stderr, "selective_scan_bench: %s differs from the oracle (nmse %.2e)\n",
                         names[i], e);
            return false;
        }
    }
    std::fprintf(stderr, "check T=%ld: all gradients within nmse %.2e. All results match.\n",
                 long(T), worst);
    return true;
}

void run_scan(benchmark::State& state, Impl impl, bool torch_loop, bool backward) {
    const int64_t T = state.range(0);
    const auto in = make_inputs(T, torch::kFloat32);
    const torch::Tensor gy = seeded_randn({kB, T, kD}, 1, torch::kFloat32);
    const torch::Tensor gh = seeded_randn({kB, kD, kS}, 2, torch::kFloat32);
    const auto start = std::chrono::steady_clock::now();
    for (auto _ : state) {
        if (backward) {
            benchmark::DoNotOptimize(forward_backward(impl, in, gy, gh));
        } else {
            torch::NoGradGuard no_grad;
            benchmark::DoNotOptimize(impl(in[0], in[1], in[2], in[3], in[4], in[5], {}, false));
        }
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() /
        double(state.iterations());
    const std::string key = fmt::format("{}/{}", backward ? "fwd_bwd" : "forward", T);
    if (torch_loop) {
        g_loop_seconds[key] = seconds;
    } else if (g_loop_seconds.count(key) != 0) {
        state.counters["speedup"] = g_loop_seconds[key] / seconds;
    }
    state.counters["gstate_per_s"] = double(kB * T * kD * kS) / seconds * 1e-9;
    state.SetItemsProcessed(state.iterations() * kB * T * kD);  // (token, channel) pairs
}

void BM_torch_loop_forward(benchmark::State& s) {
    run_scan(s, &kernels::selective_scan_reference, true, false);
}
void BM_scan_forward(benchmark::State& s) { run_scan(s, &kernels::selective_scan, false, false); }
void BM_torch_loop_fwd_bwd(benchmark::State& s) {
    run_scan(s, &kernels::selective_scan_reference, true, true);
}
void BM_scan_fwd_bwd(benchmark::State& s) { run_scan(s, &kernels::selective_scan, false, true); }

// Registration order is run order: each torch loop before the op it is compared to.
void register_benchmarks() {
    const std::pair<const char*, void (*)(benchmark::State&)> families[] = {
        {"torch_loop_forward", BM_torch_loop_forward},
        {"selective_scan_forward", BM_scan_forward},
        {"torch_loop_fwd_bwd", BM_torch_loop_fwd_bwd},
        {"selective_scan_fwd_bwd", BM_scan_fwd_bwd}};
    for (const auto& [name, fn] : families) {
        auto* b =
            benchmark::RegisterBenchmark(name, fn)->Unit(benchmark::kMillisecond)->UseRealTime();
        for (int64_t T : kSteps) {
            b->Arg(T);
        }
    }
}

// Takes --threads=N (default: the hardware's core count) out of argv.
int take_threads_flag(int* argc, char** argv) {
    int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    int kept = 1;
    for (int i = 1; i < *argc; ++i) {
        const std::string arg = argv[i];
        if (arg.rfind("--threads=", 0) == 0) {
            threads = std::max(1, std::atoi(arg.c_str() + 10));
        } else {
            argv[kept++] = argv[i];
        }
    }
    *argc = kept;
    return threads;
}

}  // namespace

int main(int argc, char** argv) {
    // LibTorch's default here can be below the core count; fix it so runs are comparable.
    at::set_num_threads(take_threads_flag(&argc, argv));
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
        return 1;
    }
    benchmark::AddCustomContext("torch_num_threads", std::to_string(at::get_num_threads()));
    benchmark::AddCustomContext("selective_scan_cpu_isa",
                                kernels::wkv7_cpu_isa_name(kernels::wkv7_cpu_best_isa()));
    benchmark::AddCustomContext(
        "shape", fmt::format("B={} D={} S={} float32, positive eigenvalues", kB, kD, kS));
    if (!check_before_timing()) {
        return 1;
    }
    register_benchmarks();
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
