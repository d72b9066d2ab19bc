// CUDA WKV7 throughput at B=8, H=16, N=64, T=4096 in float32 and bfloat16 I/O: the forward
// alone (inference: no checkpoints) and forward (with checkpoints) + backward, timed with CUDA
// events on the default stream. With a LibTorch that has CUDA (STATETRACK_BENCH_SDPA), PyTorch's
// causal scaled-dot-product attention of the same shape (q, k, v (B, H, T, N)) runs in the same
// process for comparison, forward and forward + backward.
// Counters: tokens_per_s = B·T per second; gbytes_per_s = compulsory bytes / time, where the
// bytes are each input read once and each output written once:
//   forward  7·BTHN·e + BHN²·4                   (r, w, k, v, a, b in, y out; state_final)
//   fwd_bwd  forward + BH·C·N²·4 (checkpoints out)
//            + 13·BTHN·e + BH·C·N²·4 + 2·BHN²·4  (6 inputs + dy in, 6 gradients out;
//                                                checkpoints in; dstate_final in, dstate0 out)
// with e = 4 (float32) or 2 (bf16), C = T/16. The backward's workspace (the replayed chunk,
// 16·N² floats per head written and read twice per chunk, mostly in L2) is not counted; nor is
// SDPA's traffic (it gets tokens_per_s only). frac_peak_bw: gbytes_per_s over the GPU's peak
// (2 × memory clock × bus width), recorded in the JSON context with the GPU's name.
// Before timing, the kernels are checked against their CPU emulation on a small problem.
// Without a GPU every benchmark reports SkipWithError and the program exits 1.
// Usage: wkv7_cuda_bench [--benchmark_format=json] [--benchmark_filter=...]
#include <benchmark/benchmark.h>
#include <cuda_runtime_api.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "kernels/cuda/wkv7_cuda.h"
#include "kernels/cuda/wkv7_cuda_emulate.h"

#if STATETRACK_BENCH_SDPA
#include <torch/torch.h>
#include <torch/version.h>
#if TORCH_VERSION_MAJOR < 2
#error "the SDPA comparison needs LibTorch >= 2.0 (at::scaled_dot_product_attention)"
#endif
#endif

namespace {

namespace kernels = statetrack::kernels;

constexpr int64_t kB = 8, kH = 16, kN = 64, kT = 4096;
constexpr int64_t kTokens = kB * kT * kH * kN;  // elements of one (B, T, H, N) array
constexpr int64_t kStates = kB * kH * kN * kN;
constexpr int64_t kCheckpoints = kStates * (kT / 16);

std::string g_no_device;  // why there is no GPU; empty when there is one

void check(cudaError_t err, const char* what) {
    if (err != cudaSuccess) {
        throw std::runtime_error(std::string(what) + ": " + cudaGetErrorString(err));
    }
}

template <typename T>
struct DeviceArray {
    explicit DeviceArray(int64_t n) {
        check(cudaMalloc(reinterpret_cast<void**>(&ptr), n * sizeof(T)), "cudaMalloc");
    }
    DeviceArray(DeviceArray&& other) noexcept : ptr(other.ptr) { other.ptr = nullptr; }
    DeviceArray(const DeviceArray&) = delete;
    DeviceArray& operator=(const DeviceArray&) = delete;
    ~DeviceArray() { cudaFree(ptr); }
    T* ptr = nullptr;
};

template <typename IO>
IO to_io(float x) {
    if constexpr (std::is_same_v<IO, float>) {
        return x;
    } else {
        return kernels::wkv7_bf16_from_float(x);
    }
}

// Model-like inputs (as wkv7_bench.cpp): a = −kk, b = kk·α with kk L2-normalised per token and
// head, decays in RWKV-7's (0.545, 1); every input drawn on the host once.
template <typename IO>
std::vector<std::vector<IO>> make_inputs(int64_t tokens, int64_t N) {
    std::mt19937 gen(2024);
    std::normal_distribution<float> normal(0.f, 1.f);
    std::uniform_real_distribution<float> uniform(0.f, 1.f);
    std::vector<std::vector<IO>> in(7, std::vector<IO>(tokens));  // r, w, k, v, a, b, dy
    std::vector<float> kk(N);
    for (int64_t row = 0; row < tokens; row += N) {
        float norm = 0.f;
        for (int64_t j = 0; j < N; ++j) {
            kk[j] = normal(gen);
            norm += kk[j] * kk[j];
        }
        for (int64_t j = 0; j < N; ++j) {
            const float x = kk[j] / std::sqrt(norm);
            const float d = 2.f * normal(gen);
            in[0][row + j] = to_io<IO>(normal(gen));
            in[1][row + j] = to_io<IO>(std::exp(-0.6065306597f / (1.f + std::exp(-d))));
            in[2][row + j] = to_io<IO>(0.5f * normal(gen) / 8.f);
            in[3][row + j] = to_io<IO>(normal(gen));
            in[4][row + j] = to_io<IO>(-x);
            in[5][row + j] = to_io<IO>(x * uniform(gen));
            in[6][row + j] = to_io<IO>(normal(gen));
        }
    }
    return in;
}

// All device buffers of one run of the benchmark shape.
template <typename IO>
struct Wkv7Buffers {
    std::vector<DeviceArray<IO>> io;  // r, w, k, v, a, b, dy, y, dr, dw, dk, dv, da, db
    DeviceArray<float> state_final{kStates}, dstate_final{kStates}, dstate0{kStates};
    DeviceArray<float> checkpoints{kCheckpoints};
    DeviceArray<float> workspace{kernels::wkv7_backward_cuda_workspace_size(kB, kH, kN)};
    kernels::Wkv7BackwardParams<IO, float> p;

    Wkv7Buffers() {
        for (int x = 0; x < 14; ++x) {
            io.emplace_back(kTokens);
        }
        const auto host = make_inputs<IO>(kTokens, kN);
        for (int x = 0; x < 7; ++x) {
            check(
                cudaMemcpy(io[x].ptr, host[x].data(), kTokens * sizeof(IO), cudaMemcpyHostToDevice),
                "cudaMemcpy");
        }
        check(cudaMemset(dstate_final.ptr, 0, kStates * sizeof(float)), "cudaMemset");
        p.B = kB, p.T = kT, p.H = kH, p.N = kN;
        p.r = io[0].ptr, p.w = io[1].ptr, p.k = io[2].ptr, p.v = io[3].ptr, p.a = io[4].ptr;
        p.b = io[5].ptr, p.dy = io[6].ptr, p.y = io[7].ptr;
        p.dr = io[8].ptr, p.dw = io[9].ptr, p.dk = io[10].ptr, p.dv = io[11].ptr;
        p.da = io[12].ptr, p.db = io[13].ptr;
        p.state_final = state_final.ptr, p.dstate_final = dstate_final.ptr;
        p.dstate0 = dstate0.ptr, p.checkpoints = checkpoints.ptr;
    }
};

double peak_bandwidth_gbps() {
    int device = 0, clock_khz = 0, bus_bits = 0;
    cudaGetDevice(&device);
    cudaDeviceGetAttribute(&clock_khz, cudaDevAttrMemoryClockRate, device);
    cudaDeviceGetAttribute(&bus_bits, cudaDevAttrGlobalMemoryBusWidth, device);
    return 2.0 * clock_khz * 1e3 * (bus_bits / 8.0) * 1e-9;
}

// Times fn() per iteration with CUDA events on the default stream (manual time).
template <typename Fn>
void time_iterations(benchmark::State& state, Fn&& fn) {
    cudaEvent_t start, stop;
    check(cudaEventCreate(&start), "cudaEventCreate");
    check(cudaEventCreate(&stop), "cudaEventCreate");
    fn();  // warm-up
    check(cudaDeviceSynchronize(), "warm-up");
    for (auto _ : state) {
        cudaEventRecord(start, nullptr);
        fn();
        cudaEventRecord(stop, nullptr);
        check(cudaEventSynchronize(stop), "kernels");
        float ms = 0.f;
        cudaEventElapsedTime(&ms, start, stop);
        state.SetIterationTime(ms * 1e-3);
    }
    cudaEventDestroy(start);
    cudaEventDestroy(stop);
}

void set_counters(benchmark::State& state, double bytes_per_iteration) {
    state.counters["tokens_per_s"] =
        benchmark::Counter(double(kB * kT), benchmark::Counter::kIsIterationInvariantRate);
    if (bytes_per_iteration > 0) {
        state.counters["gbytes_per_s"] = benchmark::Counter(
            bytes_per_iteration * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
    }
}

template <typename IO>
void BM_wkv7(benchmark::State& state, bool backward) {
    if (!g_no_device.empty()) {
        state.SkipWithError(("no CUDA device: " + g_no_device).c_str());
        return;
    }
    static std::unique_ptr<Wkv7Buffers<IO>> cached;  // drawn once: the benchmark reruns this
    if (cached == nullptr) {
        cached = std::make_unique<Wkv7Buffers<IO>>();
    }
    const Wkv7Buffers<IO>& buf = *cached;
    const double e = sizeof(IO), forward_bytes = 7.0 * kTokens * e + kStates * 4.0;
    const double bytes = backward ? forward_bytes + 2.0 * kCheckpoints * 4.0 + 13.0 * kTokens * e +
                                        2.0 * kStates * 4.0
                                  : forward_bytes;
    time_iterations(state, [&] {
        kernels::Wkv7BackwardParams<IO, float> p = buf.p;
        if (!backward) {
            p.checkpoints = nullptr;  // inference
        }
        kernels::wkv7_forward_cuda(p, nullptr);
        if (backward) {
            kernels::wkv7_backward_cuda(p, buf.workspace.ptr, nullptr);
        }
    });
    set_counters(state, bytes);
    state.counters["frac_peak_bw"] = benchmark::Counter(
        bytes * 1e-9 / peak_bandwidth_gbps(), benchmark::Counter::kIsIterationInvariantRate);
}

#if STATETRACK_BENCH_SDPA
void BM_sdpa(benchmark::State& state, torch::ScalarType dtype, bool backward) {
    if (!g_no_device.empty()) {
        state.SkipWithError(("no CUDA device: " + g_no_device).c_str());
        return;
    }
    const auto opts = torch::TensorOptions().device(torch::kCUDA).dtype(dtype);
    const torch::Tensor q = torch::randn({kB, kH, kT, kN}, opts).requires_grad_(backward);
    const torch::Tensor k = torch::randn({kB, kH, kT, kN}, opts).requires_grad_(backward);
    const torch::Tensor v = torch::randn({kB, kH, kT, kN}, opts).requires_grad_(backward);
    const torch::Tensor dy = torch::randn({kB, kH, kT, kN}, opts);
    time_iterations(state, [&] {
        if (backward) {
            at::scaled_dot_product_attention(q, k, v, {}, 0.0, /*is_causal=*/true).backward(dy);
        } else {
            torch::NoGradGuard no_grad;
            at::scaled_dot_product_attention(q, k, v, {}, 0.0, /*is_causal=*/true);
        }
    });
    set_counters(state, 0.0);
}
#endif

// The kernels against their CPU emulation on a small problem: false (and a message) on mismatch.
bool check_before_timing() {
    constexpr int64_t B = 1, T = 40, H = 2, N = 64, tokens = B * T * H * N;
    const auto host = make_inputs<float>(tokens, N);
    kernels::Wkv7ForwardParams<float, float> p;
    p.B = B, p.T = T, p.H = H, p.N = N;
    std::vector<DeviceArray<float>> dev;
    for (int x = 0; x < 7; ++x) {
        dev.emplace_back(tokens);
        check(cudaMemcpy(dev[x].ptr, host[x].data(), tokens * 4, cudaMemcpyHostToDevice), "copy");
    }
    DeviceArray<float> state_final(B * H * N * N);
    p.r = dev[0].ptr, p.w = dev[1].ptr, p.k = dev[2].ptr, p.v = dev[3].ptr, p.a = dev[4].ptr;
    p.b = dev[5].ptr, p.y = dev[6].ptr, p.state_final = state_final.ptr;
    kernels::wkv7_forward_cuda(p, nullptr);
    std::vector<float> y(tokens), y_cpu(tokens), sf_cpu(B * H * N * N);
    check(cudaMemcpy(y.data(), dev[6].ptr, tokens * 4, cudaMemcpyDeviceToHost), "copy");
    p.r = host[0].data(), p.w = host[1].data(), p.k = host[2].data(), p.v = host[3].data();
    p.a = host[4].data(), p.b = host[5].data(), p.y = y_cpu.data(), p.state_final = sf_cpu.data();
    kernels::wkv7_cuda::wkv7_forward_emulated<float>(p,
                                                     kernels::wkv7_cuda::ThreadOrder::kAscending);
    double num = 0, den = 0;
    for (int64_t e = 0; e < tokens; ++e) {
        num += double(y[e] - y_cpu[e]) * (y[e] - y_cpu[e]);
        den += double(y_cpu[e]) * y_cpu[e];
    }
    std::fprintf(stderr, "check: y vs the CPU emulation, nmse %.2e\n", num / den);
    return num / den <= 1e-11;
}

void add_context() {
    benchmark::AddCustomContext("shape", "B=8 H=16 N=64 T=4096");
    benchmark::AddCustomContext("cuda_architectures", kernels::wkv7_cuda_architectures());
    if (!g_no_device.empty()) {
        benchmark::AddCustomContext("gpu", "none: " + g_no_device);
        return;
    }
    cudaDeviceProp prop{};
    cudaGetDeviceProperties(&prop, 0);
    benchmark::AddCustomContext("gpu", prop.name);
    benchmark::AddCustomContext("gpu_sms", std::to_string(prop.multiProcessorCount));
    benchmark::AddCustomContext("gpu_peak_bandwidth_gbps", std::to_string(peak_bandwidth_gbps()));
#if STATETRACK_BENCH_SDPA
    benchmark::AddCustomContext("sdpa", std::string("torch ") + TORCH_VERSION);
#else
    benchmark::AddCustomContext("sdpa", "not run: this build's LibTorch has no CUDA");
#endif
}

void register_benchmarks() {
    auto reg = [](const char* name, auto fn) {
        benchmark::RegisterBenchmark(name, fn)->Unit(benchmark::kMillisecond)->UseManualTime();
    };
    reg("wkv7_forward/fp32", [](benchmark::State& s) { BM_wkv7<float>(s, false); });
    reg("wkv7_forward/bf16", [](benchmark::State& s) { BM_wkv7<kernels::Wkv7Bf16>(s, false); });
    reg("wkv7_fwd_bwd/fp32", [](benchmark::State& s) { BM_wkv7<float>(s, true); });
    reg("wkv7_fwd_bwd/bf16", [](benchmark::State& s) { BM_wkv7<kernels::Wkv7Bf16>(s, true); });
#if STATETRACK_BENCH_SDPA
    reg("sdpa_forward/fp32", [](benchmark::State& s) { BM_sdpa(s, torch::kFloat32, false); });
    reg("sdpa_forward/bf16", [](benchmark::State& s) { BM_sdpa(s, torch::kBFloat16, false); });
    reg("sdpa_fwd_bwd/fp32", [](benchmark::State& s) { BM_sdpa(s, torch::kFloat32, true); });
    reg("sdpa_fwd_bwd/bf16", [](benchmark::State& s) { BM_sdpa(s, torch::kBFloat16, true); });
#endif
}

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
        return 1;
    }
    if (!kernels::wkv7_cuda_device_available(&g_no_device)) {
        std::fprintf(stderr,
                     "wkv7_cuda_bench: no CUDA device (%s); every benchmark is skipped with an "
                     "error, nothing was measured\n",
                     g_no_device.c_str());
    } else if (!check_before_timing()) {
        std::fprintf(stderr, "wkv7_cuda_bench: the kernels do not match their CPU emulation\n");
        return 1;
    }
#if !STATETRACK_BENCH_SDPA
    std::fprintf(stderr,
                 "wkv7_cuda_bench: no SDPA comparison (this build's LibTorch has no "
                 "CUDA; configure with a CUDA LibTorch in CMAKE_PREFIX_PATH)\n");
#endif
    add_context();
    register_benchmarks();
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return g_no_device.empty() ? 0 : 1;
}
