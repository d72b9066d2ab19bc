// Guard bands: every output is written inside its bounds and completely, and no input (nor the
// bands around it) is touched. The runners surround each buffer with 4 KiB of sentinel bytes
// and check them after the kernels (wkv7_cuda_runners.h, wkv7_cuda_device.h); these cases aim
// at the edges: ragged tail chunks, a single step, the smallest and largest N, both I/O types.
// The device half is skipped without a GPU; the emulated half runs everywhere.
#include <gtest/gtest.h>

#include "tests/cuda/wkv7_cuda_compare.h"
#include "tests/cuda/wkv7_cuda_device.h"
#include "tests/cuda/wkv7_cuda_runners.h"

namespace statetrack::kernels::cuda_testing {
namespace {

const Shape kEdgeShapes[] = {{1, 1, 1, 16}, {2, 17, 1, 16}, {1, 31, 2, 128}, {1, 17, 1, 128}};

template <typename Run>
void for_each_edge_case(Run&& run) {
    for (const Shape& s : kEdgeShapes) {
        for (IoType io : {IoType::kFloat32, IoType::kBf16}) {
            SCOPED_TRACE(shape_name(s) + (io == IoType::kFloat32 ? " float32" : " bfloat16"));
            const Problem p = make_problem(s, io, 31);
            expect_outputs_close(wkv7_oracle(p), run(p), io, true);
        }
    }
}

TEST(Wkv7CudaGuardBands, EmulatedProgramsStayInBounds) {
    for_each_edge_case([](const Problem& p) {
        return p.io == IoType::kFloat32
                   ? run_emulated<float>(p, wkv7_cuda::ThreadOrder::kAscending)
                   : run_emulated<Wkv7Bf16>(p, wkv7_cuda::ThreadOrder::kAscending);
    });
}

class Wkv7CudaDeviceGuardBands : public CudaDeviceTest {};

TEST_F(Wkv7CudaDeviceGuardBands, KernelsStayInBounds) {
    for_each_edge_case([](const Problem& p) {
        return p.io == IoType::kFloat32 ? run_device<float>(p) : run_device<Wkv7Bf16>(p);
    });
}

}  // namespace
}  // namespace statetrack::kernels::cuda_testing
