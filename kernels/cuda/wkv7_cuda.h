// CUDA WKV7 forward and backward on raw device pointers: the launch API of the torch-free
// library statetrack_wkv7_cuda. Same contract as the CPU kernel (kernels/wkv7.h), same params
// structs and layouts (kernels/wkv7_params.h), same checkpoints (the state before every 16th
// step, key-major), so the two backends can be compared step by step. Algorithm, launch
// configuration and memory use: kernels/cuda/README.md.
//
// Shapes: B batch, T steps (any T >= 1), H heads, N head size ∈ {16, 32, 64, 128}.
// I/O (the (B,T,H,N) arrays r, w, k, v, a, b, y, dy and the input gradients): float or bfloat16
// (Wkv7Bf16). The state, sa, checkpoints, accumulations, state0 / state_final / dstate_final /
// dstate0 are always float32. Every pointer is device memory (or managed); null state0 /
// dstate_final mean zeros, null checkpoints (forward) means inference only, null dstate0 means
// not wanted. The backward needs p.checkpoints from the forward on the same inputs and a
// workspace of wkv7_backward_cuda_workspace_size(B, H, N) floats; checkpoints and workspace must
// be 16-byte aligned (cudaMalloc and torch allocations are).
//
// Calls are asynchronous on `stream` (a cudaStream_t; nullptr = the legacy default stream).
// Errors: std::invalid_argument for bad parameters (checked before anything is launched, naming
// the bad field); Wkv7CudaError when a launch fails (the message names the kernel, N and the I/O
// type, and CUDA's error string). Faults inside a kernel surface, as usual in CUDA, at the next
// synchronising call.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include "kernels/cuda/wkv7_bf16.h"
#include "kernels/wkv7_params.h"

namespace statetrack::kernels {

class Wkv7CudaError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

bool wkv7_cuda_supports_head_size(int64_t N);

// Floats of device workspace wkv7_backward_cuda needs: B·H·18·N².
int64_t wkv7_backward_cuda_workspace_size(int64_t B, int64_t H, int64_t N);

void wkv7_forward_cuda(const Wkv7ForwardParams<float, float>& params, void* stream);
void wkv7_forward_cuda(const Wkv7ForwardParams<Wkv7Bf16, float>& params, void* stream);

void wkv7_backward_cuda(const Wkv7BackwardParams<float, float>& params, float* workspace,
                        void* stream);
void wkv7_backward_cuda(const Wkv7BackwardParams<Wkv7Bf16, float>& params, float* workspace,
                        void* stream);

// Whether a CUDA device can run the kernels here. When not, *reason (if given) says why, e.g.
// "cudaGetDeviceCount: no CUDA-capable device is detected". Never throws.
bool wkv7_cuda_device_available(std::string* reason = nullptr);

// The GPU architectures the kernels were compiled for, e.g. "80,90" (CMAKE_CUDA_ARCHITECTURES).
const char* wkv7_cuda_architectures();

}  // namespace statetrack::kernels
