// Device choice for runs (see run_device.h). Torch builds only.

#include "harness/training/run_device.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <thread>
#include <stdexcept>

#include "harness/runs/blas_info.h"
#include "harness/runs/run_config.h"
#include "kernels/cuda_device_info.h"

namespace statetrack::harness {
namespace {

std::string cpu_model_name() {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("model name", 0) == 0) {
            const size_t colon = line.find(':');
            if (colon != std::string::npos && colon + 2 <= line.size()) {
                return line.substr(colon + 2);
            }
        }
    }
    return "unknown CPU";
}

RunDevice cpu_device() { return {torch::kCPU, "cpu", cpu_model_name()}; }

RunDevice cuda_device(const std::string& spec, int64_t index) {
    const int64_t count = torch::cuda::is_available() ? torch::cuda::device_count() : 0;
    if (count == 0) {
        throw std::invalid_argument(fmt::format(
            "device \"{}\": {}; use \"cpu\" or \"auto\"", spec,
            kernels::cuda_runtime_version().empty()
                ? fmt::format("this statetrack is built against a LibTorch {} without CUDA",
                              TORCH_VERSION)
                : std::string("no GPU is visible to this process")));
    }
    if (index >= count) {
        throw std::invalid_argument(
            fmt::format("device \"{}\": GPU {} does not exist ({} visible)", spec, index, count));
    }
    // "float32" in result.json means IEEE float32 on every device: LibTorch lets cuDNN's
    // convolutions and RNNs (Mamba's conv, the LSTM) round through TF32, a 10-bit mantissa, by
    // default. Low precision is asked for explicitly, with "precision": "bf16".
    at::globalContext().setAllowTF32CuDNN(false);
    at::globalContext().setAllowTF32CuBLAS(false);
    const auto i = static_cast<c10::DeviceIndex>(index);
    return {torch::Device(torch::kCUDA, i), fmt::format("cuda:{}", index),
            kernels::cuda_device_description(index)};
}

}  // namespace

RunDevice resolve_run_device(const std::string& spec, int64_t slot) {
    check_device_spec(spec);
    if (spec == "cpu") {
        return cpu_device();
    }
    if (spec == "auto") {
        return torch::cuda::is_available() && !kernels::cuda_runtime_version().empty()
                   ? cuda_device(spec, slot % torch::cuda::device_count())
                   : cpu_device();
    }
    if (spec == "cuda") {
        const int64_t count = torch::cuda::is_available() ? torch::cuda::device_count() : 0;
        return cuda_device(spec, count > 0 ? slot % count : 0);
    }
    return cuda_device(spec, std::stoll(spec.substr(5)));  // "cuda:N", checked above
}

int64_t set_intra_op_threads(int64_t requested) {
    const int64_t hardware = std::max<int64_t>(1, std::thread::hardware_concurrency());
    const int64_t n = requested == 0 ? hardware : requested;
    if (n > hardware) {
        throw std::invalid_argument(fmt::format(
            "threads = {} exceeds the {} hardware threads of this machine (0 = all of them)", n,
            hardware));
    }
    at::set_num_threads(static_cast<int>(n));
    set_blas_threads(static_cast<int>(n));  // OpenBLAS keeps its own pool (blas_info.h)
    return at::get_num_threads();
}

torch::Device device_of(const torch::nn::Module& module) {
    const std::vector<torch::Tensor> params = module.parameters();
    return params.empty() ? torch::Device(torch::kCPU) : params.front().device();
}

}  // namespace statetrack::harness
