// RunDevice: where a run, a sweep worker or `model forward` computes, chosen by the run config's
// `device` (or --device): "cpu" (default), "cuda" (GPU 0, or GPU slot mod count for sweep worker
// `slot`), "cuda:N", "auto" (CUDA when this build and machine have a GPU, else the CPU). Data
// are always generated on the CPU and moved, so a seed gives the same batches on every device.
// resolve_run_device throws std::invalid_argument with one line when the device cannot be used
// (no CUDA in this LibTorch, no GPU visible, N out of range) -- before anything is written.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace statetrack::harness {

struct RunDevice {
    torch::Device device = torch::kCPU;
    std::string name;         // "cpu" or "cuda:N"
    std::string description;  // the CPU's model name, or the GPU's name and compute capability
};

RunDevice resolve_run_device(const std::string& spec, int64_t slot = 0);

// Sets LibTorch's intra-op threads, and OpenBLAS's to the same count (0 = one per hardware
// thread), and returns the count in force; more than the machine has is a std::invalid_argument
// (hundreds of spinning intra-op threads stall the machine).
int64_t set_intra_op_threads(int64_t requested);

// The device a model's parameters are on (CPU for a model without parameters).
torch::Device device_of(const torch::nn::Module& module);

}  // namespace statetrack::harness
