// Internal to statetrack_wkv7_cuda: one launcher per head size N and I/O type, defined (and
// explicitly instantiated) in wkv7_cuda_forward.cu / wkv7_cuda_backward.cu, called by
// wkv7_cuda.cpp after it has checked the arguments. They only launch (grid B·H blocks of N
// threads) and return cudaGetLastError(), so no C++ library type crosses the nvcc boundary.
#pragma once

#include <cuda_runtime_api.h>

#include "kernels/wkv7_params.h"

namespace statetrack::kernels::wkv7_cuda {

template <int N, typename IO>
cudaError_t launch_forward(const Wkv7ForwardParams<IO, float>& p, cudaStream_t stream);

template <int N, typename IO>
cudaError_t launch_backward(const Wkv7BackwardParams<IO, float>& p, float* workspace,
                            cudaStream_t stream);

#define WKV7_CUDA_FOR_EACH_INSTANCE(X) \
    X(16, float)                       \
    X(32, float)                       \
    X(64, float)                       \
    X(128, float)                      \
    X(16, Wkv7Bf16)                    \
    X(32, Wkv7Bf16)                    \
    X(64, Wkv7Bf16)                    \
    X(128, Wkv7Bf16)

#define WKV7_CUDA_DECLARE_LAUNCHERS(n, io)                                                   \
    extern template cudaError_t launch_forward<n, io>(const Wkv7ForwardParams<io, float>&,   \
                                                      cudaStream_t);                         \
    extern template cudaError_t launch_backward<n, io>(const Wkv7BackwardParams<io, float>&, \
                                                       float*, cudaStream_t);
WKV7_CUDA_FOR_EACH_INSTANCE(WKV7_CUDA_DECLARE_LAUNCHERS)
#undef WKV7_CUDA_DECLARE_LAUNCHERS

}  // namespace statetrack::kernels::wkv7_cuda
