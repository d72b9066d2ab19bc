// Selective-scan CPU op against the same recurrence written as a loop of LibTorch ops
// (selective_scan_reference, float32: ~12 ops on (B, D, S) tensors per step, its backward by
// autograd), forward (no grad) and forward+backward, at B=8, D=256, S=16, float32,
// T ∈ {128, 512, 2048}, positive eigenvalues (Mamba's default).
// Counters: gstate_per_s (state updates h[b,t,d,s] per second, 1e9), speedup (torch-loop time
// over op time, same T and mode, measured in the same run). Before any timing, main() checks
// the op against the float64 oracle on the benchmark's own inputs (outputs at every T, all
// gradients at the smallest T) and exits 1 on a mismatch. The torch thread count
// (--threads=N, default the hardware's) and the instruction set the kernel runs are recorded
// in the JSON context. The check, the timed loop and main() are the op-bench registry's
// (bench/op_bench.h); this file declares the selective scan's inputs and counters.
// bench/results/selective_scan_bench.json is a --threads=1 run: on the shared 2-vCPU VM the
// torch loop's ~12 OpenMP regions per step each waited on a descheduled second thread (16 ms
// per step with 2 threads against 0.08 ms with 1), which measured the machine, not the op.
// Usage: selective_scan_bench [--threads=N] [--benchmark_format=json] [--benchmark_filter=...]
#include <ATen/CPUGeneratorImpl.h>
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <torch/torch.h>

#include <vector>

#include "bench/op_bench.h"
#include "kernels/selective_scan.h"
#include "kernels/selective_scan_reference.h"
#include "kernels/wkv7_cpu.h"

namespace {

namespace kernels = statetrack::kernels;

constexpr int64_t kB = 8, kD = 256, kS = 16;

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
    return statetrack::bench::to_dtype(in, dtype);
}

}  // namespace

int main(int argc, char** argv) {
    statetrack::bench::OpBench op;
    op.program = "selective_scan_bench";
    op.family = "selective_scan";
    op.steps = {128, 512, 2048};
    op.make_inputs = &make_inputs;
    op.y_sizes = [](int64_t T) { return std::vector<int64_t>{kB, T, kD}; };
    op.state_sizes = {kB, kD, kS};
    // Positive eigenvalues (Mamba's default), no h0.
    op.op = [](const std::vector<torch::Tensor>& x) {
        return kernels::selective_scan(x[0], x[1], x[2], x[3], x[4], x[5], {}, false);
    };
    op.reference = [](const std::vector<torch::Tensor>& x) {
        return kernels::selective_scan_reference(x[0], x[1], x[2], x[3], x[4], x[5], {}, false);
    };
    op.grad_names = {"du", "ddelta", "dA", "dBm", "dCm", "dDskip"};
    op.state_name = "h_final";
    op.items_per_step = kB * kD;  // (token, channel) pairs
    op.counters = [](benchmark::State& state, int64_t T, double seconds, bool) {
        state.counters["gstate_per_s"] = double(kB * T * kD * kS) / seconds * 1e-9;
    };
    op.context = {
        {"selective_scan_cpu_isa", kernels::wkv7_cpu_isa_name(kernels::wkv7_cpu_best_isa())},
        {"shape", fmt::format("B={} D={} S={} float32, positive eigenvalues", kB, kD, kS)}};
    return statetrack::bench::op_bench_main(argc, argv, op);
}
