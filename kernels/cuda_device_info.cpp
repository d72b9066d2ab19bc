// CUDA build facts (see cuda_device_info.h). The CUDA headers are only included in builds
// against a LibTorch with CUDA.
#include "kernels/cuda_device_info.h"

#include <fmt/format.h>

#if STATETRACK_WITH_CUDA
#include <ATen/cuda/CUDAContext.h>
#include <cuda_runtime_api.h>
#endif

namespace statetrack::kernels {

std::string cuda_runtime_version() {
#if STATETRACK_WITH_CUDA
    return fmt::format("{}.{}", CUDART_VERSION / 1000, (CUDART_VERSION % 1000) / 10);
#else
    return "";
#endif
}

std::string cuda_device_description(int64_t index) {
#if STATETRACK_WITH_CUDA
    const cudaDeviceProp* p = at::cuda::getDeviceProperties(static_cast<int>(index));
    return fmt::format("{} (compute capability {}.{}, {} GiB)", p->name, p->major, p->minor,
                       p->totalGlobalMem >> 30);
#else
    (void)index;
    return "";
#endif
}

}  // namespace statetrack::kernels
