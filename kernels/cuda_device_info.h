// What the CUDA side of this build can tell about itself, for result.json and --version. Both
// functions are defined in every build; without CUDA (STATETRACK_WITH_CUDA=0) they say so.
#pragma once

#include <cstdint>
#include <string>

namespace statetrack::kernels {

// "13.0": the CUDA runtime this build was compiled against; "" in a build without CUDA.
std::string cuda_runtime_version();

// "NVIDIA H200 (compute capability 9.0, 139 GiB)" for GPU `index`; "" without CUDA.
std::string cuda_device_description(int64_t index);

}  // namespace statetrack::kernels
