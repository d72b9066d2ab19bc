// The CUDA WKV7 kernels on a GPU (cudaMalloc'd buffers with guard bands, wkv7_cuda_device.h):
// forward and every gradient against the float64 oracle over the suite's shape table and a
// large shape, in float32 and bfloat16 (tolerances in wkv7_cuda_compare.h); step by step
// against the CPU kernel's checkpoints; bit for bit against the CPU emulation of the same
// program; the optional pointers null; a stream of its own. Without a GPU every test here is
// skipped with "no CUDA device: ..." (wkv7_cuda_emulated_test.cpp still tests the programs).
#include "tests/cuda/wkv7_cuda_device.h"

#include <cuda_runtime_api.h>
#include <gtest/gtest.h>

#include <string>
#include <tuple>

#include "tests/cuda/wkv7_cuda_compare.h"
#include "tests/cuda/wkv7_cuda_runners.h"
#include "tests/cuda/wkv7_cuda_shapes.h"

namespace statetrack::kernels::cuda_testing {
namespace {

using wkv7_cuda::ThreadOrder;

Outputs run_device_io(const Problem& p, const RunOptions& options = {}) {
    return p.io == IoType::kFloat32 ? run_device<float>(p, options)
                                    : run_device<Wkv7Bf16>(p, options);
}

void expect_shapes_match_oracle(const std::vector<Shape>& shapes, IoType io) {
    for (const Shape& shape : shapes) {
        SCOPED_TRACE(shape_name(shape));
        const Problem p = make_problem(shape, io, 2024);
        expect_outputs_close(wkv7_oracle(p), run_device_io(p), io, true);
    }
}

class Wkv7CudaDevice : public CudaDeviceTestWithParam<Group> {};

TEST_P(Wkv7CudaDevice, ForwardAndAllGradientsMatchOracle) {
    const auto& [N, io] = GetParam();
    expect_shapes_match_oracle(cuda_test_shapes(N), io);
}

INSTANTIATE_TEST_SUITE_P(HeadSizes, Wkv7CudaDevice, head_size_groups(), group_test_name);

class Wkv7CudaDeviceRuns : public CudaDeviceTest {};

TEST_F(Wkv7CudaDeviceRuns, ExtremeDecaysAndNoState0MatchOracle) {
    for (IoType io : {IoType::kFloat32, IoType::kBf16}) {
        expect_shapes_match_oracle(cuda_test_special_shapes(), io);
    }
}

TEST_F(Wkv7CudaDeviceRuns, LargeShapeMatchesOracle) {
    for (IoType io : {IoType::kFloat32, IoType::kBf16}) {
        SCOPED_TRACE(io == IoType::kFloat32 ? "float32" : "bfloat16");
        const Problem p = make_problem({2, 4096, 4, 64}, io, 77);
        expect_outputs_close(wkv7_oracle(p), run_device_io(p), io, true);
    }
}

// The device runs the very program the CPU emulation runs, with the same fmaf arithmetic: the
// results should agree bit for bit. If only this fails, the device compiler rounded something
// differently (e.g. contracted a product), not a logic error: the oracle tests say which.
TEST_F(Wkv7CudaDeviceRuns, MatchesTheCpuEmulationBitForBit) {
    for (IoType io : {IoType::kFloat32, IoType::kBf16}) {
        const Problem p = make_problem({2, 37, 2, 64}, io, 9);
        const Outputs emulated = io == IoType::kFloat32
                                     ? run_emulated<float>(p, ThreadOrder::kAscending)
                                     : run_emulated<Wkv7Bf16>(p, ThreadOrder::kAscending);
        EXPECT_TRUE(outputs_identical(emulated, run_device_io(p)))
            << (io == IoType::kFloat32 ? "float32" : "bfloat16");
    }
}

TEST_F(Wkv7CudaDeviceRuns, NullOptionalPointers) {
    const Problem p = make_problem({2, 35, 1, 32, DecayRange::kModel, false}, IoType::kFloat32, 5);
    RunOptions options;
    options.dstate_final = false;
    options.dstate0 = false;
    const Outputs got = run_device<float>(p, options);
    EXPECT_TRUE(got.dstate0.empty());
    expect_outputs_close(wkv7_oracle(as_run(p, options)), got, IoType::kFloat32, true);
    options.backward = false;
    options.checkpoints = false;
    expect_outputs_close(wkv7_oracle(p), run_device<float>(p, options), IoType::kFloat32, false);
}

TEST_F(Wkv7CudaDeviceRuns, OwnStream) {
    cudaStream_t stream = nullptr;
    ASSERT_EQ(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking), cudaSuccess);
    const Problem p = make_problem({1, 40, 3, 128}, IoType::kFloat32, 12);
    expect_outputs_close(wkv7_oracle(p), run_device<float>(p, {}, stream), IoType::kFloat32, true);
    EXPECT_EQ(cudaStreamDestroy(stream), cudaSuccess);
}

#if STATETRACK_TEST_CPU_KERNEL
// Same contract, same checkpoints: the two backends agree checkpoint by checkpoint.
TEST_F(Wkv7CudaDeviceRuns, MatchesTheCpuKernelCheckpointByCheckpoint) {
    const Shape s{2, 300, 3, 64};
    const Problem p = make_problem(s, IoType::kFloat32, 8);
    const Outputs cpu = run_cpu_kernel(p);
    const Outputs gpu = run_device<float>(p);
    ASSERT_TRUE(checkpoints_close_chunk_by_chunk(cpu, gpu, s));
    expect_outputs_close(cpu, gpu, IoType::kFloat32, true);
}
#endif

}  // namespace
}  // namespace statetrack::kernels::cuda_testing
