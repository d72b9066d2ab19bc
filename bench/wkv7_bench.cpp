// WKV7 CPU op against the same recurrence written as a loop of LibTorch ops (wkv7_reference,
// float32), forward (no grad) and forward+backward (autograd), at B=8, H=4, N=64, float32,
// T ∈ {128, 512, 2048}; plus torch::mm on 1024×1024 float32 as this machine's sgemm roof.
// Counters: gflops (forward: 9·N² flops per token per head), frac_sgemm (forward GFLOP/s over
// the sgemm GFLOP/s measured in this run), speedup (torch-loop time over op time, same shape
// and mode). Before any timing, main() checks the op against the float64 oracle on the
// benchmark's own inputs (outputs at every T, all gradients at the smallest T) and exits 1 on a
// mismatch. The torch thread count (--threads=N, default the hardware's) is recorded in the
// JSON context, with the instruction set the kernel runs.
// Usage: wkv7_bench [--threads=N] [--benchmark_format=json] [--benchmark_filter=...]
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <benchmark/benchmark.h>
#include <dlfcn.h>
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

#include "kernels/wkv7.h"
#include "kernels/wkv7_cpu.h"
#include "kernels/wkv7_reference.h"

namespace {

namespace kernels = statetrack::kernels;

constexpr int64_t kB = 8, kH = 4, kN = 64;
constexpr int64_t kSteps[] = {128, 512, 2048};
constexpr int64_t kSgemmSize = 1024;

double g_sgemm_gflops = 0.0;                   // set by BM_sgemm, which runs first
std::map<std::string, double> g_loop_seconds;  // torch-loop seconds per call, by "mode/T"

using Impl = std::tuple<torch::Tensor, torch::Tensor> (*)(
    const torch::Tensor&, const torch::Tensor&, const torch::Tensor&, const torch::Tensor&,
    const torch::Tensor&, const torch::Tensor&, const c10::optional<torch::Tensor>&);

// Model-like inputs: a = −kk, b = kk·α with kk L2-normalised, decays in RWKV-7's (0.545, 1).
std::vector<torch::Tensor> make_inputs(int64_t T, torch::ScalarType dtype) {
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(uint64_t{2024});
    const auto f64 = torch::TensorOptions().dtype(torch::kFloat64);
    const std::vector<int64_t> sizes = {kB, T, kH, kN};
    torch::Tensor kk = torch::randn(sizes, gen, f64);
    kk = kk / kk.norm(2, -1, true);
    const std::vector<torch::Tensor> in = {
        torch::randn(sizes, gen, f64),
        torch::exp(-std::exp(-0.5) * torch::sigmoid(2.0 * torch::randn(sizes, gen, f64))),
        0.5 * torch::randn(sizes, gen, f64) / std::sqrt(double(kN)),
        torch::randn(sizes, gen, f64),
        -kk,
        kk * torch::rand(sizes, gen, f64)};
    std::vector<torch::Tensor> out;
    for (const torch::Tensor& t : in) {
        out.push_back(t.to(dtype));
    }
    return out;
}

torch::Tensor seeded_randn(std::vector<int64_t> sizes, uint64_t seed) {
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    return torch::randn(sizes, gen, torch::TensorOptions().dtype(torch::kFloat32));
}

// Outputs and the gradients of Σ y·gy + Σ state_final·gs w.r.t. the six inputs.
std::vector<torch::Tensor> forward_backward(Impl impl, const std::vector<torch::Tensor>& in,
                                            const torch::Tensor& gy, const torch::Tensor& gs) {
    std::vector<torch::Tensor> leaves;
    for (const torch::Tensor& t : in) {
        leaves.push_back(t.detach().requires_grad_(true));
    }
    auto [y, s] = impl(leaves[0], leaves[1], leaves[2], leaves[3], leaves[4], leaves[5], {});
    std::vector<torch::Tensor> out =
        torch::autograd::grad({(y * gy).sum() + (s * gs).sum()}, leaves);
    out.push_back(y.detach());
    out.push_back(s.detach());
    return out;
}

std::vector<torch::Tensor> to_double(const std::vector<torch::Tensor>& in) {
    std::vector<torch::Tensor> out;
    for (const torch::Tensor& t : in) {
        out.push_back(t.to(torch::kFloat64));
    }
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
        auto [y, s] = kernels::wkv7(in[0], in[1], in[2], in[3], in[4], in[5]);
        const auto in64 = to_double(in);
        auto [y64, s64] =
            kernels::wkv7_reference(in64[0], in64[1], in64[2], in64[3], in64[4], in64[5]);
        const double ey = nmse(y64, y), es = nmse(s64, s);
        std::fprintf(stderr, "check T=%ld: nmse y %.2e, state_final %.2e\n", long(T), ey, es);
        if (!(ey <= kMaxNmse && es <= kMaxNmse)) {
            std::fprintf(stderr, "wkv7_bench: the op does not match the float64 oracle at T=%ld\n",
                         long(T));
            return false;
        }
    }
    const int64_t T = kSteps[0];
    const auto in = make_inputs(T, torch::kFloat32);
    const torch::Tensor gy = seeded_randn({kB, T, kH, kN}, 1),
                        gs = seeded_randn({kB, kH, kN, kN}, 2);
    const auto in64 = to_double(in);
    const auto got = forward_backward(&kernels::wkv7, in, gy, gs);
    const auto ref = forward_backward(&kernels::wkv7_reference, in64, gy.to(torch::kFloat64),
                                      gs.to(torch::kFloat64));
    const char* names[] = {"dr", "dw", "dk", "dv", "da", "db", "y", "state_final"};
    for (size_t i = 0; i < ref.size(); ++i) {
        const double e = nmse(ref[i], got[i]);
        if (!(e <= kMaxNmse)) {
            std::fprintf(stderr, "wkv7_bench: %s differs from the float64 oracle (nmse %.2e)\n",
                         names[i], e);
            return false;
        }
    }
    std::fprintf(stderr, "check T=%ld: all gradients within nmse %.0e. All results match.\n",
                 long(T), kMaxNmse);
    return true;
}

void BM_sgemm(benchmark::State& state) {
    const torch::Tensor x = seeded_randn({kSgemmSize, kSgemmSize}, 3);
    const torch::Tensor y = seeded_randn({kSgemmSize, kSgemmSize}, 4);
    torch::Tensor z = torch::mm(x, y);  // warm-up
    const auto start = std::chrono::steady_clock::now();
    for (auto _ : state) {
        torch::mm_out(z, x, y);
        benchmark::DoNotOptimize(z.data_ptr<float>());
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    g_sgemm_gflops =
        2.0 * kSgemmSize * kSgemmSize * kSgemmSize * double(state.iterations()) / seconds * 1e-9;
    state.counters["gflops"] = g_sgemm_gflops;
}

// mode: "forward" (no grad, no checkpoints) or "fwd_bwd" (autograd forward + backward).
void run_wkv7(benchmark::State& state, Impl impl, bool torch_loop, bool backward) {
    const int64_t T = state.range(0);
    const auto in = make_inputs(T, torch::kFloat32);
    const torch::Tensor gy = seeded_randn({kB, T, kH, kN}, 1),
                        gs = seeded_randn({kB, kH, kN, kN}, 2);
    const auto start = std::chrono::steady_clock::now();
    for (auto _ : state) {
        if (backward) {
            benchmark::DoNotOptimize(forward_backward(impl, in, gy, gs));
        } else {
            torch::NoGradGuard no_grad;
            benchmark::DoNotOptimize(impl(in[0], in[1], in[2], in[3], in[4], in[5], {}));
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
    if (!backward) {
        const double gflops = 9.0 * kN * kN * kB * kH * T / seconds * 1e-9;
        state.counters["gflops"] = gflops;
        if (g_sgemm_gflops > 0) {
            state.counters["frac_sgemm"] = gflops / g_sgemm_gflops;
        }
    }
    state.SetItemsProcessed(state.iterations() * kB * T * kH);  // token-heads
}

void BM_torch_loop_forward(benchmark::State& s) {
    run_wkv7(s, &kernels::wkv7_reference, true, false);
}
void BM_wkv7_forward(benchmark::State& s) { run_wkv7(s, &kernels::wkv7, false, false); }
void BM_torch_loop_fwd_bwd(benchmark::State& s) {
    run_wkv7(s, &kernels::wkv7_reference, true, true);
}
void BM_wkv7_fwd_bwd(benchmark::State& s) { run_wkv7(s, &kernels::wkv7, false, true); }

// Registration order is run order: sgemm first, each torch loop before the op it is compared to.
void register_benchmarks() {
    benchmark::RegisterBenchmark("sgemm_1024", BM_sgemm)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    const std::pair<const char*, void (*)(benchmark::State&)> families[] = {
        {"torch_loop_forward", BM_torch_loop_forward},
        {"wkv7_forward", BM_wkv7_forward},
        {"torch_loop_fwd_bwd", BM_torch_loop_fwd_bwd},
        {"wkv7_fwd_bwd", BM_wkv7_fwd_bwd}};
    for (const auto& [name, fn] : families) {
        auto* b =
            benchmark::RegisterBenchmark(name, fn)->Unit(benchmark::kMillisecond)->UseRealTime();
        for (int64_t T : kSteps) {
            b->Arg(T);
        }
    }
}

}  // namespace

// OpenBLAS's kernel choice sets the sgemm roof (0.3.21 falls back to its SSE3 "Prescott"
// kernels on CPUs newer than it knows; OPENBLAS_CORETYPE overrides that), so it goes in the
// results. Looked up at run time: the BLAS behind LibTorch may be another one.
std::string blas_core() {
    using CoreName = const char* (*)();
    const auto fn = reinterpret_cast<CoreName>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
    return fn == nullptr ? "unknown (not OpenBLAS)" : std::string("OpenBLAS ") + fn();
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

int main(int argc, char** argv) {
    // LibTorch's default here can be below the core count; fix it so runs are comparable.
    at::set_num_threads(take_threads_flag(&argc, argv));
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
        return 1;
    }
    benchmark::AddCustomContext("torch_num_threads", std::to_string(at::get_num_threads()));
    benchmark::AddCustomContext("wkv7_cpu_isa",
                                kernels::wkv7_cpu_isa_name(kernels::wkv7_cpu_best_isa()));
    benchmark::AddCustomContext("blas_core", blas_core());
    benchmark::AddCustomContext("shape", fmt::format("B={} H={} N={} float32", kB, kH, kN));
    if (!check_before_timing()) {
        return 1;
    }
    register_benchmarks();
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
