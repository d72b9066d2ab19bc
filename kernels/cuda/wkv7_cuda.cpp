// Host side of the CUDA WKV7 launch API (wkv7_cuda.h): argument checks, the dispatch on head
// size, and turning CUDA errors into exceptions. Compiled by the host compiler, so std::string
// and fmt stay on this side of the nvcc boundary (wkv7_cuda_launch.h passes only PODs).
#include "kernels/cuda/wkv7_cuda.h"

#include <cuda_runtime_api.h>
#include <fmt/format.h>

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "kernels/cuda/wkv7_cuda_common.h"
#include "kernels/cuda/wkv7_cuda_launch.h"

#ifndef STATETRACK_CUDA_ARCHITECTURES
#define STATETRACK_CUDA_ARCHITECTURES "unknown"
#endif

namespace statetrack::kernels {
namespace {

template <typename IO>
const char* io_name() {
    return std::is_same_v<IO, float> ? "float32" : "bfloat16";
}

void require(bool ok, const char* fn, const char* what) {
    if (!ok) {
        throw std::invalid_argument(fmt::format("{}: {}", fn, what));
    }
}

template <typename P>
void check_sizes(const P& p, const char* fn) {
    if (p.B < 0 || p.H < 0 || p.T < 1) {
        throw std::invalid_argument(
            fmt::format("{}: sizes B = {}, T = {}, H = {} invalid; need B >= 0, T >= 1, H >= 0", fn,
                        p.B, p.T, p.H));
    }
    if (!wkv7_cuda_supports_head_size(p.N)) {
        throw std::invalid_argument(fmt::format(
            "{}: head size N = {} is not supported; the CUDA kernels are built for N in "
            "{{16, 32, 64, 128}}",
            fn, p.N));
    }
    if (p.B * p.H > std::numeric_limits<int32_t>::max()) {
        throw std::invalid_argument(
            fmt::format("{}: B·H = {} exceeds the grid limit 2^31 - 1", fn, p.B * p.H));
    }
}

template <typename IO>
void check_inputs(const Wkv7ForwardParams<IO, float>& p, const char* fn) {
    check_sizes(p, fn);
    require(p.r != nullptr, fn, "r is null");
    require(p.w != nullptr, fn, "w is null");
    require(p.k != nullptr, fn, "k is null");
    require(p.v != nullptr, fn, "v is null");
    require(p.a != nullptr, fn, "a is null");
    require(p.b != nullptr, fn, "b is null");
}

bool aligned16(const void* ptr) { return reinterpret_cast<uintptr_t>(ptr) % 16 == 0; }

void throw_if_failed(cudaError_t err, const char* kernel, int64_t N, const char* io) {
    if (err != cudaSuccess) {
        throw Wkv7CudaError(fmt::format("{}<N={}, {}>: launch failed: {} ({})", kernel, N, io,
                                        cudaGetErrorString(err), cudaGetErrorName(err)));
    }
}

// The dispatch on head size: launch(std::integral_constant<int, N>{}) instantiates the kernel
// for N, one of the sizes they are built for (check_sizes rejected the others); a failed launch
// throws, naming the kernel `fn`.
template <typename IO, typename Launch>
void launch_for_head_size(int64_t N, const char* fn, Launch&& launch) {
    cudaError_t err = cudaSuccess;
    switch (N) {
        case 16:
            err = launch(std::integral_constant<int, 16>{});
            break;
        case 32:
            err = launch(std::integral_constant<int, 32>{});
            break;
        case 64:
            err = launch(std::integral_constant<int, 64>{});
            break;
        default:
            err = launch(std::integral_constant<int, 128>{});
            break;
    }
    throw_if_failed(err, fn, N, io_name<IO>());
}

template <typename IO>
void forward(const Wkv7ForwardParams<IO, float>& p, void* stream) {
    constexpr const char* fn = "wkv7_forward_cuda";
    check_inputs(p, fn);
    require(p.y != nullptr, fn, "y is null");
    require(p.state_final != nullptr, fn, "state_final is null");
    if (p.B * p.H == 0) {
        return;
    }
    const auto s = static_cast<cudaStream_t>(stream);
    launch_for_head_size<IO>(
        p.N, fn, [&](auto n) { return wkv7_cuda::launch_forward<decltype(n)::value, IO>(p, s); });
}

template <typename IO>
void backward(const Wkv7BackwardParams<IO, float>& p, float* workspace, void* stream) {
    constexpr const char* fn = "wkv7_backward_cuda";
    check_inputs(p, fn);
    require(p.checkpoints != nullptr, fn, "checkpoints is null (run the forward with checkpoints)");
    require(p.dy != nullptr, fn, "dy is null");
    require(p.dr != nullptr && p.dw != nullptr && p.dk != nullptr && p.dv != nullptr &&
                p.da != nullptr && p.db != nullptr,
            fn, "an input gradient (dr, dw, dk, dv, da or db) is null");
    require(workspace != nullptr, fn, "workspace is null");
    require(aligned16(p.checkpoints), fn, "checkpoints is not 16-byte aligned");
    require(aligned16(workspace), fn, "workspace is not 16-byte aligned");
    if (p.B * p.H == 0) {
        return;
    }
    const auto s = static_cast<cudaStream_t>(stream);
    launch_for_head_size<IO>(p.N, fn, [&](auto n) {
        return wkv7_cuda::launch_backward<decltype(n)::value, IO>(p, workspace, s);
    });
}

}  // namespace

bool wkv7_cuda_supports_head_size(int64_t N) { return N == 16 || N == 32 || N == 64 || N == 128; }

int64_t wkv7_backward_cuda_workspace_size(int64_t B, int64_t H, int64_t N) {
    return B * H * wkv7_cuda::kWorkspaceBlocks * N * N;
}

void wkv7_forward_cuda(const Wkv7ForwardParams<float, float>& params, void* stream) {
    forward(params, stream);
}
void wkv7_forward_cuda(const Wkv7ForwardParams<Wkv7Bf16, float>& params, void* stream) {
    forward(params, stream);
}
void wkv7_backward_cuda(const Wkv7BackwardParams<float, float>& params, float* workspace,
                        void* stream) {
    backward(params, workspace, stream);
}
void wkv7_backward_cuda(const Wkv7BackwardParams<Wkv7Bf16, float>& params, float* workspace,
                        void* stream) {
    backward(params, workspace, stream);
}

bool wkv7_cuda_device_available(std::string* reason) {
    int count = 0;
    const cudaError_t err = cudaGetDeviceCount(&count);
    if (err != cudaSuccess || count == 0) {
        if (reason != nullptr) {
            *reason = err != cudaSuccess
                          ? fmt::format("cudaGetDeviceCount: {} ({})", cudaGetErrorString(err),
                                        cudaGetErrorName(err))
                          : std::string("cudaGetDeviceCount reports 0 devices");
        }
        cudaGetLastError();  // clear the sticky error so later calls see their own
        return false;
    }
    return true;
}

const char* wkv7_cuda_architectures() { return STATETRACK_CUDA_ARCHITECTURES; }

}  // namespace statetrack::kernels
