// The suite's float64 oracle (wkv7_cuda_problem.h) checked on its own, without a GPU: its
// gradients against central finite differences of its forward, and (in builds with torch) its
// outputs, checkpoints and gradients against the CPU kernel, itself tested against an autograd
// reference in tests/kernels. What the CUDA tests compare against is thus verified here.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "tests/cuda/wkv7_cuda_compare.h"
#include "tests/cuda/wkv7_cuda_problem.h"
#include "tests/cuda/wkv7_cuda_runners.h"

namespace statetrack::kernels::cuda_testing {
namespace {

// L = Σ y·dy + Σ state_final·dstate_final.
double loss(const Problem& p) {
    const Outputs out = wkv7_oracle(p, /*with_backward=*/false);
    double sum = 0.0;
    for (size_t e = 0; e < out.y.size(); ++e) {
        sum += out.y[e] * p.dy[e];
    }
    for (size_t e = 0; e < out.state_final.size(); ++e) {
        sum += out.state_final[e] * p.dstate_final[e];
    }
    return sum;
}

TEST(Wkv7CudaOracle, GradientsMatchFiniteDifferences) {
    // Float64 inputs (no rounding needed here); T = 19 crosses a checkpoint boundary.
    Problem p = make_problem({1, 19, 2, 4, DecayRange::kModel, true}, IoType::kFloat32, 3);
    const Outputs grads = wkv7_oracle(p);
    struct Input {
        std::vector<double>* values;
        const std::vector<double>* grad;
        const char* name;
    };
    const Input inputs[] = {{&p.r, &grads.dr, "r"},
                            {&p.w, &grads.dw, "w"},
                            {&p.k, &grads.dk, "k"},
                            {&p.v, &grads.dv, "v"},
                            {&p.a, &grads.da, "a"},
                            {&p.b, &grads.db, "b"},
                            {&p.state0, &grads.dstate0, "state0"}};
    constexpr double h = 1e-6;
    double worst = 0.0;
    for (const Input& in : inputs) {
        for (size_t e = 0; e < in.values->size(); ++e) {
            const double x = (*in.values)[e];
            (*in.values)[e] = x + h;
            const double up = loss(p);
            (*in.values)[e] = x - h;
            const double down = loss(p);
            (*in.values)[e] = x;
            const double fd = (up - down) / (2 * h), g = (*in.grad)[e];
            const double err = std::abs(fd - g) / (1.0 + std::abs(g));
            worst = std::max(worst, err);
            ASSERT_LT(err, 1e-6) << in.name << "[" << e << "]: finite difference " << fd
                                 << ", oracle " << g;
        }
    }
    std::cout << "[ info ] worst relative finite-difference gap " << worst << "\n";
}

#if STATETRACK_TEST_CPU_KERNEL
TEST(Wkv7CudaOracle, MatchesTheCpuKernel) {
    for (const Shape& s : {Shape{2, 33, 3, 16}, Shape{1, 17, 2, 64, DecayRange::kNearZero},
                           Shape{1, 40, 1, 128, DecayRange::kNearOne},
                           Shape{2, 5, 1, 32, DecayRange::kModel, false}}) {
        SCOPED_TRACE(shape_name(s));
        const Problem p = make_problem(s, IoType::kFloat32, 11);
        expect_outputs_close(wkv7_oracle(p), run_cpu_kernel(p), IoType::kFloat32, true);
    }
}
#else
TEST(Wkv7CudaOracle, MatchesTheCpuKernel) {
    GTEST_SKIP() << "built without torch: no CPU kernel to compare with";
}
#endif

}  // namespace
}  // namespace statetrack::kernels::cuda_testing
