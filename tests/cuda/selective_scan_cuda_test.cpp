// The selective scan (kernels/selective_scan.h) on CUDA tensors: with no CUDA kernel it runs the
// torch-op reference on the GPU, differentiated by autograd. Outputs and every gradient against
// the CPU kernel on the same float32 values, with the negative eigenvalue range too. Built with a
// LibTorch that has CUDA only (STATETRACK_TEST_TORCH_CUDA); otherwise one test reports itself
// skipped, saying why.
#include <gtest/gtest.h>

#if STATETRACK_TEST_TORCH_CUDA
#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <vector>

#include "kernels/selective_scan.h"
#include "tests/testing/tensor_compare.h"

namespace statetrack::kernels {
namespace {

// Both sides accumulate in float32 in a different order over T = 45 steps.
constexpr double kMaxNmse = 1e-10;

// u, delta, A, Bm, Cm, Dskip, h0, dy, dh_final (float32, CPU).
std::vector<torch::Tensor> make_inputs() {
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(uint64_t{7});
    const int64_t B = 2, T = 45, D = 24, S = 16;
    const auto f = torch::TensorOptions().dtype(torch::kFloat32);
    return {torch::randn({B, T, D}, gen, f),
            torch::softplus(torch::randn({B, T, D}, gen, f) - 1),
            -torch::exp(torch::randn({D, S}, gen, f)),
            torch::randn({B, T, S}, gen, f),
            torch::randn({B, T, S}, gen, f),
            torch::randn({D}, gen, f),
            torch::randn({B, D, S}, gen, f),
            torch::randn({B, T, D}, gen, f),
            torch::randn({B, D, S}, gen, f)};
}

// y, h_final, then the gradients of u, delta, A, Bm, Cm, Dskip, h0 (all on the CPU).
std::vector<torch::Tensor> run(const std::vector<torch::Tensor>& in, torch::Device device,
                               bool negative) {
    std::vector<torch::Tensor> leaves;
    for (int i = 0; i < 7; ++i) {
        // detach: on the CPU, to() returns `in[i]` itself, which must not become the leaf (the
        // GPU run's to() would then be a non-leaf, whose .grad() autograd never fills).
        leaves.push_back(in[i].to(device).detach().requires_grad_(true));
    }
    auto [y, h] = selective_scan(leaves[0], leaves[1], leaves[2], leaves[3], leaves[4], leaves[5],
                                 leaves[6], negative);
    ((y * in[7].to(device)).sum() + (h * in[8].to(device)).sum()).backward();
    std::vector<torch::Tensor> out = {y.detach().cpu(), h.detach().cpu()};
    for (const torch::Tensor& l : leaves) {
        out.push_back(l.grad().cpu());
    }
    return out;
}

TEST(SelectiveScanCuda, TheDeviceReferenceMatchesTheCpuKernelWithGradients) {
    if (!torch::cuda::is_available()) {
        GTEST_SKIP() << "no CUDA device: torch::cuda::is_available() is false";
    }
    const std::vector<torch::Tensor> in = make_inputs();
    const char* names[] = {"y", "h_final", "du", "ddelta", "dA", "dBm", "dCm", "dDskip", "dh0"};
    for (bool negative : {false, true}) {
        const auto cpu = run(in, torch::kCPU, negative);
        const auto gpu = run(in, torch::kCUDA, negative);
        for (size_t i = 0; i < cpu.size(); ++i) {
            EXPECT_TRUE(testing::tensors_close(cpu[i], gpu[i], kMaxNmse))
                << names[i] << (negative ? " (negative eigenvalues)" : "");
        }
    }
}

}  // namespace
}  // namespace statetrack::kernels

#else

TEST(SelectiveScanCuda, NeedsALibTorchWithCuda) {
    GTEST_SKIP() << "this build's LibTorch has no CUDA, so the selective scan has no CUDA path "
                    "to test (build against a PyTorch 2.x with CUDA: scripts/gpu_check.sh)";
}

#endif
