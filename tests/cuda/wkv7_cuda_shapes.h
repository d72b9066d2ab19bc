// The shape table of the CUDA WKV7 suite, shared by the emulated and the device tests: every
// T ∈ {1, 15, 16, 17, 33, 100} (one step; a partial, an exact, and one step into a second chunk;
// three and seven chunks with ragged ends) for every N ∈ {16, 32, 64, 128}, with a state0, plus
// decays near 0 and near 1 and a run without state0.
#pragma once

#include <string>
#include <vector>

#include "tests/cuda/wkv7_cuda_problem.h"

namespace statetrack::kernels::cuda_testing {

inline std::vector<Shape> cuda_test_shapes() {
    std::vector<Shape> shapes;
    for (int64_t N : {16, 32, 64, 128}) {
        for (int64_t T : {1, 15, 16, 17, 33, 100}) {
            // B·H = 3 or 2 blocks: more heads than one, yet cheap for the CPU emulation.
            shapes.push_back(N <= 32 ? Shape{3, T, 1, N} : Shape{1, T, 2, N});
        }
    }
    shapes.push_back({1, 33, 2, 32, DecayRange::kNearZero});
    shapes.push_back({1, 100, 1, 64, DecayRange::kNearZero});
    shapes.push_back({1, 33, 2, 32, DecayRange::kNearOne});
    shapes.push_back({1, 100, 1, 64, DecayRange::kNearOne});
    shapes.push_back({2, 21, 2, 64, DecayRange::kModel, false});
    return shapes;
}

}  // namespace statetrack::kernels::cuda_testing
