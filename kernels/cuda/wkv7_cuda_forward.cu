// The CUDA WKV7 forward kernel: grid B·H blocks (bh = b·H + h), N threads each, static shared
// memory 5·N floats. The program is in wkv7_cuda_forward.h.
#include "kernels/cuda/wkv7_cuda_block.cuh"
#include "kernels/cuda/wkv7_cuda_forward.h"
#include "kernels/cuda/wkv7_cuda_launch.h"

namespace statetrack::kernels::wkv7_cuda {
namespace {

template <int N, typename IO>
__global__ void __launch_bounds__(N) forward_kernel(const Wkv7ForwardParams<IO, float> p) {
    __shared__ ForwardShared<N> sh;
    DeviceBlock block;
    forward_program<N, IO>(block, p, static_cast<int64_t>(blockIdx.x), sh);
}

}  // namespace

template <int N, typename IO>
cudaError_t launch_forward(const Wkv7ForwardParams<IO, float>& p, cudaStream_t stream) {
    forward_kernel<N, IO><<<static_cast<unsigned>(p.B * p.H), N, 0, stream>>>(p);
    return cudaGetLastError();
}

#define WKV7_CUDA_INSTANTIATE_FORWARD(n, io) \
    template cudaError_t launch_forward<n, io>(const Wkv7ForwardParams<io, float>&, cudaStream_t);
WKV7_CUDA_FOR_EACH_INSTANCE(WKV7_CUDA_INSTANTIATE_FORWARD)

}  // namespace statetrack::kernels::wkv7_cuda
