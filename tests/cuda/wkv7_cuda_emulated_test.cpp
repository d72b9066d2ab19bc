// The CUDA WKV7 programs run on the CPU (kernels/cuda/wkv7_cuda_emulate.h), so their logic is
// tested on every machine, GPU or not: forward and every gradient against the float64 oracle
// over the suite's shape table, float32 and bfloat16, in both thread orders (which must agree
// bit for bit: a phase that read what another thread writes in the same phase would not), with
// the optional pointers null, and checkpoint by checkpoint against the CPU kernel. What this
// cannot show (launch, registers, real barriers) is left to wkv7_cuda_device_test.cpp.
#include <gtest/gtest.h>

#include <iostream>
#include <string>
#include <tuple>

#include "tests/cuda/wkv7_cuda_compare.h"
#include "tests/cuda/wkv7_cuda_runners.h"
#include "tests/cuda/wkv7_cuda_shapes.h"

namespace statetrack::kernels::cuda_testing {
namespace {

using wkv7_cuda::ThreadOrder;

// Prints the worst passing errors of the whole run (ErrorStats, wkv7_cuda_compare.h), so that
// the margins below the tolerances are on record.
class ErrorStatsReport : public ::testing::Environment {
  public:
    void TearDown() override {
        const ErrorStats& s = error_stats();
        std::cout << "[ info ] worst errors vs references: float32 NMSE " << s.float32_nmse
                  << " (max " << kMaxNmseFloat32 << "), bf16 error / bound " << s.bf16_ratio
                  << " (max 1)\n";
    }
};
const auto* const kReport = ::testing::AddGlobalTestEnvironment(new ErrorStatsReport);

template <typename IO>
void expect_program_matches_oracle(const Problem& p) {
    const Outputs ref = wkv7_oracle(p);
    const Outputs up = run_emulated<IO>(p, ThreadOrder::kAscending);
    const Outputs down = run_emulated<IO>(p, ThreadOrder::kDescending);
    expect_outputs_close(ref, up, p.io, true);
    EXPECT_TRUE(outputs_identical(up, down)) << "the two thread orders differ";
}

void expect_shapes_match_oracle(const std::vector<Shape>& shapes, IoType io) {
    for (const Shape& shape : shapes) {
        SCOPED_TRACE(shape_name(shape));
        const Problem p = make_problem(shape, io, 2024);
        if (io == IoType::kFloat32) {
            expect_program_matches_oracle<float>(p);
        } else {
            expect_program_matches_oracle<Wkv7Bf16>(p);
        }
    }
}

class Wkv7CudaEmulated : public ::testing::TestWithParam<Group> {};

TEST_P(Wkv7CudaEmulated, ForwardAndAllGradientsMatchOracle) {
    const auto& [N, io] = GetParam();
    expect_shapes_match_oracle(cuda_test_shapes(N), io);
}

INSTANTIATE_TEST_SUITE_P(HeadSizes, Wkv7CudaEmulated, head_size_groups(), group_test_name);

TEST(Wkv7CudaEmulatedOptions, ExtremeDecaysAndNoState0MatchOracle) {
    for (IoType io : {IoType::kFloat32, IoType::kBf16}) {
        expect_shapes_match_oracle(cuda_test_special_shapes(), io);
    }
}

TEST(Wkv7CudaEmulatedOptions, NullOptionalPointers) {
    const Problem p = make_problem({2, 35, 1, 32}, IoType::kFloat32, 5);
    RunOptions options;
    options.dstate_final = false;  // zeros
    options.dstate0 = false;       // not wanted
    const Outputs got = run_emulated<float>(p, ThreadOrder::kAscending, options);
    EXPECT_TRUE(got.dstate0.empty());
    expect_outputs_close(wkv7_oracle(as_run(p, options)), got, IoType::kFloat32, true);
    options.backward = false;
    options.checkpoints = false;  // inference
    const Outputs fwd = run_emulated<float>(p, ThreadOrder::kAscending, options);
    EXPECT_TRUE(fwd.checkpoints.empty());
    expect_outputs_close(wkv7_oracle(p), fwd, IoType::kFloat32, false);
}

TEST(Wkv7CudaEmulatedOptions, LongSequence) {
    const Problem p = make_problem({1, 1000, 1, 64}, IoType::kFloat32, 6);
    expect_outputs_close(wkv7_oracle(p), run_emulated<float>(p, ThreadOrder::kAscending),
                         IoType::kFloat32, true);
}

#if STATETRACK_TEST_CPU_KERNEL
// Same contract, same checkpoint scheme: the two backends agree checkpoint by checkpoint.
TEST(Wkv7CudaEmulatedOptions, CheckpointsMatchTheCpuKernelChunkByChunk) {
    const Shape s{2, 50, 2, 64};
    const Problem p = make_problem(s, IoType::kFloat32, 8);
    const Outputs cpu = run_cpu_kernel(p);
    const Outputs cuda = run_emulated<float>(p, ThreadOrder::kAscending);
    EXPECT_TRUE(checkpoints_close_chunk_by_chunk(cpu, cuda, s));
    expect_outputs_close(cpu, cuda, IoType::kFloat32, true);
}
#endif

}  // namespace
}  // namespace statetrack::kernels::cuda_testing
