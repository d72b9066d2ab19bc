// The CUDA WKV7 backward kernel: grid B·H blocks (bh = b·H + h), N threads each, static shared
// memory (8 + 16)·N floats, plus kWorkspaceBlocks·N² floats of global workspace per block (the
// replayed chunk, mostly L2-resident). The program is in wkv7_cuda_backward.h.
#include "kernels/cuda/wkv7_cuda_backward.h"
#include "kernels/cuda/wkv7_cuda_block.cuh"
#include "kernels/cuda/wkv7_cuda_launch.h"

namespace statetrack::kernels::wkv7_cuda {
namespace {

template <int N, typename IO>
__global__ void __launch_bounds__(N)
    backward_kernel(const Wkv7BackwardParams<IO, float> p, float* workspace) {
    __shared__ BackwardShared<N> sh;
    DeviceBlock block;
    backward_program<N, IO>(block, p, static_cast<int64_t>(blockIdx.x), workspace, sh);
}

}  // namespace

template <int N, typename IO>
cudaError_t launch_backward(const Wkv7BackwardParams<IO, float>& p, float* workspace,
                            cudaStream_t stream) {
    backward_kernel<N, IO><<<static_cast<unsigned>(p.B * p.H), N, 0, stream>>>(p, workspace);
    return cudaGetLastError();
}

#define WKV7_CUDA_INSTANTIATE_BACKWARD(n, io)                                                 \
    template cudaError_t launch_backward<n, io>(const Wkv7BackwardParams<io, float>&, float*, \
                                                cudaStream_t);
WKV7_CUDA_FOR_EACH_INSTANCE(WKV7_CUDA_INSTANTIATE_BACKWARD)

}  // namespace statetrack::kernels::wkv7_cuda
