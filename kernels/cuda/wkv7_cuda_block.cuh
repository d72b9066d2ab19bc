// The device Block policy of the CUDA WKV7 programs (see wkv7_cuda_forward.h): each thread's
// private data is a local variable (registers), and a phase ends with __syncthreads().
#pragma once

namespace statetrack::kernels::wkv7_cuda {

struct DeviceBlock {
    template <typename T>
    struct PerThread {
        __device__ explicit PerThread(const DeviceBlock&) {}
        __device__ __forceinline__ T& operator[](int) { return value; }
        T value;
    };

    template <typename F>
    __device__ __forceinline__ void phase(F&& f) {
        f(static_cast<int>(threadIdx.x));
        __syncthreads();
    }
};

}  // namespace statetrack::kernels::wkv7_cuda
