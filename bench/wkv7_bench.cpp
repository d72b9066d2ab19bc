// WKV7 CPU op against the same recurrence written as a loop of LibTorch ops (wkv7_reference,
// float32), forward (no grad) and forward+backward (autograd), at B=8, H=4, N=64, float32,
// T ∈ {128, 512, 2048}; plus torch::mm on 1024×1024 float32 as this machine's sgemm roof.
// Counters: gflops (forward: 9·N² flops per token per head), frac_sgemm (forward GFLOP/s over
// the sgemm GFLOP/s measured in this run), speedup (torch-loop time over op time, same shape
// and mode). Before any timing, main() checks the op against the float64 oracle on the
// benchmark's own inputs (outputs at every T, all gradients at the smallest T) and exits 1 on a
// mismatch. The torch thread count (--threads=N, default the hardware's) is recorded in the
// JSON context, with the instruction set the kernel runs. The check, the timed loop and main()
// are the op-bench registry's (bench/op_bench.h); this file declares WKV7's inputs and counters.
// Usage: wkv7_bench [--threads=N] [--benchmark_format=json] [--benchmark_filter=...]
#include <ATen/CPUGeneratorImpl.h>
#include <benchmark/benchmark.h>
#include <dlfcn.h>
#include <fmt/format.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include "bench/op_bench.h"
#include "kernels/wkv7.h"
#include "kernels/wkv7_cpu.h"
#include "kernels/wkv7_reference.h"

namespace {

namespace kernels = statetrack::kernels;
using statetrack::bench::OpBench;

constexpr int64_t kB = 8, kH = 4, kN = 64;
constexpr int64_t kSgemmSize = 1024;

double g_sgemm_gflops = 0.0;  // set by BM_sgemm, which runs first

// Model-like inputs: a = −kk, b = kk·α with kk L2-normalised, decays in RWKV-7's (0.545, 1).
// Order: r, w, k, v, a, b.
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
    return statetrack::bench::to_dtype(in, dtype);
}

void BM_sgemm(benchmark::State& state) {
    const torch::Tensor x = statetrack::bench::seeded_randn({kSgemmSize, kSgemmSize}, 3);
    const torch::Tensor y = statetrack::bench::seeded_randn({kSgemmSize, kSgemmSize}, 4);
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

// Forward only: 9·N² flops per token per head, and their fraction of the sgemm roof.
void flop_counters(benchmark::State& state, int64_t T, double seconds, bool backward) {
    if (backward) {
        return;
    }
    const double gflops = 9.0 * kN * kN * kB * kH * T / seconds * 1e-9;
    state.counters["gflops"] = gflops;
    if (g_sgemm_gflops > 0) {
        state.counters["frac_sgemm"] = gflops / g_sgemm_gflops;
    }
}

// OpenBLAS's kernel choice sets the sgemm roof (0.3.21 falls back to its SSE3 "Prescott"
// kernels on CPUs newer than it knows; OPENBLAS_CORETYPE overrides that), so it goes in the
// results. Looked up at run time: the BLAS behind LibTorch may be another one.
std::string blas_core() {
    using CoreName = const char* (*)();
    const auto fn = reinterpret_cast<CoreName>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
    return fn == nullptr ? "unknown (not OpenBLAS)" : std::string("OpenBLAS ") + fn();
}

OpBench wkv7_bench() {
    OpBench op;
    op.program = "wkv7_bench";
    op.family = "wkv7";
    op.steps = {128, 512, 2048};
    op.make_inputs = &make_inputs;
    op.y_sizes = [](int64_t T) { return std::vector<int64_t>{kB, T, kH, kN}; };
    op.state_sizes = {kB, kH, kN, kN};
    op.op = [](const std::vector<torch::Tensor>& x) {
        return kernels::wkv7(x[0], x[1], x[2], x[3], x[4], x[5]);
    };
    op.reference = [](const std::vector<torch::Tensor>& x) {
        return kernels::wkv7_reference(x[0], x[1], x[2], x[3], x[4], x[5]);
    };
    op.grad_names = {"dr", "dw", "dk", "dv", "da", "db"};
    op.state_name = "state_final";
    op.items_per_step = kB * kH;  // token-heads
    op.counters = &flop_counters;
    op.context = {{"wkv7_cpu_isa", kernels::wkv7_cpu_isa_name(kernels::wkv7_cpu_best_isa())},
                  {"blas_core", blas_core()},
                  {"shape", fmt::format("B={} H={} N={} float32", kB, kH, kN)}};
    return op;
}

}  // namespace

int main(int argc, char** argv) {
    const OpBench op = wkv7_bench();
    // sgemm first: the op's frac_sgemm divides by its GFLOP/s.
    return statetrack::bench::op_bench_main(argc, argv, op, [] {
        benchmark::RegisterBenchmark("sgemm_1024", BM_sgemm)
            ->Unit(benchmark::kMillisecond)
            ->UseRealTime();
    });
}
