// The shape table of the CUDA WKV7 suite, shared by the emulated and the device tests, one
// group per head size N: every T ∈ {1, 15, 16, 17, 33, 100} (one step; a partial, an exact,
// and one step into a second chunk; three and seven chunks with ragged ends), with a state0;
// plus a group with decays near 0 and near 1 and a run without state0. One test per group
// (not per shape) keeps ctest's process count, each paying LibTorch's load, small.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "tests/cuda/wkv7_cuda_problem.h"

namespace statetrack::kernels::cuda_testing {

inline const int64_t kTestHeadSizes[] = {16, 32, 64, 128};

inline std::vector<Shape> cuda_test_shapes(int64_t N) {
    std::vector<Shape> shapes;
    for (int64_t T : {1, 15, 16, 17, 33, 100}) {
        // B·H = 3 or 2 blocks: more heads than one, yet cheap for the CPU emulation.
        shapes.push_back(N <= 32 ? Shape{3, T, 1, N} : Shape{1, T, 2, N});
    }
    return shapes;
}

inline std::vector<Shape> cuda_test_special_shapes() {
    return {{1, 33, 2, 32, DecayRange::kNearZero},
            {1, 100, 1, 64, DecayRange::kNearZero},
            {1, 33, 2, 32, DecayRange::kNearOne},
            {1, 100, 1, 64, DecayRange::kNearOne},
            {2, 21, 2, 64, DecayRange::kModel, false}};
}

// Test-name suffix of a (N, I/O type) group.
inline std::string group_name(int64_t N, IoType io) {
    return "N" + std::to_string(N) + (io == IoType::kFloat32 ? "_f32" : "_bf16");
}

// The groups as gtest parameters: every head size in both I/O types, named by group_name
// (INSTANTIATE_TEST_SUITE_P(HeadSizes, Suite, head_size_groups(), group_test_name)).
using Group = std::tuple<int64_t, IoType>;  // N, I/O type
inline auto head_size_groups() {
    return ::testing::Combine(::testing::ValuesIn(kTestHeadSizes),
                              ::testing::Values(IoType::kFloat32, IoType::kBf16));
}
inline std::string group_test_name(const ::testing::TestParamInfo<Group>& info) {
    return group_name(std::get<0>(info.param), std::get<1>(info.param));
}

}  // namespace statetrack::kernels::cuda_testing
