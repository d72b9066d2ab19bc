// The WKV7 op (kernels/wkv7.h) on CUDA tensors, through its device dispatch
// (kernels/wkv7_cuda_dispatch.cpp) and autograd: outputs and every gradient against the op on
// CPU float64 tensors holding the same values, in float32 and bfloat16; and its argument checks
// on CUDA. Built with the op's CUDA path only (STATETRACK_TEST_TORCH_CUDA: a LibTorch with
// CUDA); otherwise one test reports itself skipped, saying why.
#include <gtest/gtest.h>

#if STATETRACK_TEST_TORCH_CUDA
#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <string>
#include <tuple>
#include <vector>

#include "kernels/wkv7.h"
#include "tests/testing/tensor_compare.h"

namespace statetrack::kernels {
namespace {

// bf16 outputs: NMSE ≤ 2e-5 follows from the element bound of wkv7_cuda_compare.h
// ((2^-8 + 2e-5)² ≈ 1.6e-5); float32 ones: the CPU suites' 1e-11.
constexpr double kMaxNmseFloat32 = 1e-11, kMaxNmseBf16 = 2e-5;

struct OpRun {
    torch::Tensor y, state_final;
    std::vector<torch::Tensor> grads;  // r, w, k, v, a, b, state0
};

// Inputs (float64, CPU) as in tests/kernels/wkv7_testing.h, already rounded to `dtype`.
std::vector<torch::Tensor> make_inputs(torch::ScalarType dtype) {
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(uint64_t{41});
    const auto f64 = torch::TensorOptions().dtype(torch::kFloat64);
    const std::vector<int64_t> sizes = {2, 37, 3, 64};
    torch::Tensor kk = torch::randn(sizes, gen, f64);
    kk = kk / kk.norm(2, -1, true);
    std::vector<torch::Tensor> in = {
        torch::randn(sizes, gen, f64),
        torch::exp(-std::exp(-0.5) * torch::sigmoid(2.0 * torch::randn(sizes, gen, f64))),
        0.5 * torch::randn(sizes, gen, f64),
        torch::randn(sizes, gen, f64),
        -kk,
        kk * torch::rand(sizes, gen, f64),
        torch::randn(sizes, gen, f64)};  // dy
    for (torch::Tensor& t : in) {
        t = t.to(dtype).to(torch::kFloat64);
    }
    in.push_back(0.5 * torch::randn({2, 3, 64, 64}, gen, f64).to(torch::kFloat32).to(f64));
    in.push_back(torch::randn({2, 3, 64, 64}, gen, f64).to(torch::kFloat32).to(f64));  // ds
    return in;  // r, w, k, v, a, b, dy, state0, dstate_final
}

OpRun run_op(const std::vector<torch::Tensor>& in, torch::Device device, torch::ScalarType dtype) {
    std::vector<torch::Tensor> leaves;
    for (int x = 0; x < 6; ++x) {
        leaves.push_back(in[x].to(device, dtype).requires_grad_(true));
    }
    const auto state_dtype = dtype == torch::kFloat64 ? torch::kFloat64 : torch::kFloat32;
    leaves.push_back(in[7].to(device, state_dtype).requires_grad_(true));
    auto [y, sf] =
        wkv7(leaves[0], leaves[1], leaves[2], leaves[3], leaves[4], leaves[5], leaves[6]);
    const torch::Tensor loss = (y.to(state_dtype) * in[6].to(device, state_dtype)).sum() +
                               (sf * in[8].to(device, state_dtype)).sum();
    return {y.detach(), sf.detach(), torch::autograd::grad({loss}, leaves)};
}

TEST(Wkv7CudaOp, MatchesTheCpuOpForwardAndAllGradients) {
    if (!torch::cuda::is_available()) {
        GTEST_SKIP() << "no CUDA device: torch::cuda::is_available() is false";
    }
    for (torch::ScalarType dtype : {torch::kFloat32, torch::kBFloat16}) {
        SCOPED_TRACE(c10::toString(dtype));
        const auto in = make_inputs(dtype);
        const OpRun ref = run_op(in, torch::kCPU, torch::kFloat64);
        const OpRun got = run_op(in, torch::kCUDA, dtype);
        const double io_max = dtype == torch::kFloat32 ? kMaxNmseFloat32 : kMaxNmseBf16;
        EXPECT_EQ(got.y.scalar_type(), dtype);
        EXPECT_EQ(got.state_final.scalar_type(), torch::kFloat32);
        EXPECT_TRUE(testing::tensors_close(ref.y, got.y, io_max)) << "y";
        EXPECT_TRUE(testing::tensors_close(ref.state_final, got.state_final, kMaxNmseFloat32))
            << "state_final";
        const char* names[] = {"dr", "dw", "dk", "dv", "da", "db", "dstate0"};
        for (int g = 0; g < 7; ++g) {
            EXPECT_TRUE(testing::tensors_close(ref.grads[g], got.grads[g],
                                               g < 6 ? io_max : kMaxNmseFloat32))
                << names[g];
        }
    }
}

TEST(Wkv7CudaOp, RejectsWhatTheCudaKernelsDoNotSupport) {
    if (!torch::cuda::is_available()) {
        GTEST_SKIP() << "no CUDA device: torch::cuda::is_available() is false";
    }
    const auto cuda = torch::TensorOptions().device(torch::kCUDA);
    const torch::Tensor f64 = torch::rand({1, 4, 1, 16}, cuda.dtype(torch::kFloat64));
    EXPECT_THROW(wkv7(f64, f64, f64, f64, f64, f64), c10::Error);
    const torch::Tensor n48 = torch::rand({1, 4, 1, 48}, cuda.dtype(torch::kFloat32));
    try {
        wkv7(n48, n48, n48, n48, n48, n48);
        ADD_FAILURE() << "N = 48 accepted on CUDA";
    } catch (const c10::Error& e) {
        EXPECT_NE(std::string(e.what()).find("N = 48"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace statetrack::kernels

#else

TEST(Wkv7CudaOp, NeedsALibTorchWithCuda) {
    GTEST_SKIP() << "this build's LibTorch has no CUDA, so the WKV7 op has no CUDA path to test "
                    "(configure with a CUDA LibTorch in CMAKE_PREFIX_PATH)";
}

#endif
