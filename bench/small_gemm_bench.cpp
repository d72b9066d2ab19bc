// google-benchmark for kernels::small_mm (kernels/small_gemm.h) against at::mm (OpenBLAS here),
// on the products of an RWKV-7 training step at the quick experiment's shape: M = 656 rows
// (B 32 × the mean length 20.5 of lengths 1–40), d 64, LoRA rank 32, FFN 256, 1 thread. Per
// shape, BM_AtMm runs first and BM_SmallMm after it reports `speedup` (at::mm's time over
// small_mm's, measured in the same run) and both report GFLOP/s. Kinds: "xw" x·wᵀ (a Linear's
// forward, w transposed: small_mm copies it), "dyw" dy·w (its input gradient), "dyTx" dyᵀ·x (its
// weight gradient: a transposed view, K = 656), "xp" x·p (a LoRA's product).
//   build/bench/small_gemm_bench --benchmark_format=json --benchmark_out=small_gemm_bench.json
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <iterator>
#include <map>
#include <string>
#include <utility>

#include "harness/runs/blas_info.h"
#include "kernels/small_gemm.h"
#include "kernels/small_gemm_cpu.h"

namespace {

struct Shape {
    const char* kind;
    int64_t M, K, N;  // the product (M,K)·(K,N)
};

constexpr Shape kShapes[] = {
    {"xw", 656, 64, 64},    {"xw", 656, 64, 256},  {"xw", 656, 256, 64},
    {"dyw", 656, 64, 64},   {"dyw", 656, 256, 64}, {"dyTx", 64, 656, 64},
    {"dyTx", 256, 656, 64}, {"xp", 656, 64, 32},   {"xp", 656, 32, 64},
};

// The operands of a shape in the layouts the step has them.
std::pair<torch::Tensor, torch::Tensor> operands(const Shape& s) {
    torch::manual_seed(1);
    const std::string kind = s.kind;
    if (kind == "xw") {
        return {torch::randn({s.M, s.K}), torch::randn({s.N, s.K}).t()};
    }
    if (kind == "dyTx") {
        return {torch::randn({s.K, s.M}).t(), torch::randn({s.K, s.N})};
    }
    return {torch::randn({s.M, s.K}), torch::randn({s.K, s.N})};
}

std::map<int64_t, double> g_at_mm_seconds;  // shape index → at::mm's seconds per product

template <bool kSmall>
void Product(benchmark::State& state) {
    const int64_t index = state.range(0);
    const Shape& s = kShapes[index];
    const auto [a, b] = operands(s);
    const auto start = std::chrono::steady_clock::now();
    for (auto _ : state) {
        benchmark::DoNotOptimize(kSmall ? statetrack::kernels::small_mm(a, b) : at::mm(a, b));
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() /
        static_cast<double>(state.iterations());
    state.SetLabel(fmt::format("{} M{} K{} N{}", s.kind, s.M, s.K, s.N));
    state.counters["gflops"] = 2.0 * s.M * s.K * s.N * 1e-9 / seconds;
    if (!kSmall) {
        g_at_mm_seconds[index] = seconds;
    } else if (g_at_mm_seconds.count(index) > 0) {
        state.counters["speedup"] = g_at_mm_seconds[index] / seconds;
    }
}

}  // namespace

int main(int argc, char** argv) {
    torch::set_num_threads(1);
    statetrack::harness::set_blas_threads(1);
    if (!statetrack::kernels::small_gemm_cpu_available(16)) {
        std::fprintf(
            stderr,
            "small_gemm_bench: the kernel needs AVX2+FMA or AVX-512; small_mm is at::mm here\n");
    }
    for (int64_t i = 0; i < static_cast<int64_t>(std::size(kShapes)); ++i) {
        benchmark::RegisterBenchmark("BM_AtMm", Product<false>)->Arg(i)->UseRealTime();
        benchmark::RegisterBenchmark("BM_SmallMm", Product<true>)->Arg(i)->UseRealTime();
    }
    benchmark::AddCustomContext("blas", statetrack::harness::blas_info().summary());
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
}
