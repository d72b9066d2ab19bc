// The CPU WKV7 kernel against the float64 oracle: forward (y, state_final) and every gradient
// (r, w, k, v, a, b, state0) through random upstream gradients on y AND state_final, over a
// table of shapes and decay ranges, in float32 and float64, with two threads so B·H splits
// unevenly. Then every instruction set this machine has, called on raw pointers.
#include "kernels/wkv7_cpu.h"

#include <ATen/Parallel.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <string>
#include <tuple>

#include "kernels/wkv7.h"
#include "tests/kernels/wkv7_testing.h"

namespace statetrack::kernels {
namespace {

using testing::DecayRange;
using testing::Wkv7Shape;

// Fixed thread count for the scope, restored afterwards.
class ThreadsGuard {
  public:
    explicit ThreadsGuard(int n) : previous_(at::get_num_threads()) { at::set_num_threads(n); }
    ~ThreadsGuard() { at::set_num_threads(previous_); }

  private:
    int previous_;
};

const Wkv7Shape kShapes[] = {
    {1, 1, 1, 16, DecayRange::kModel, false},     // a single step
    {2, 15, 3, 16, DecayRange::kModel, true},     // T < one chunk, B·H = 6
    {1, 16, 1, 16, DecayRange::kModel, true},     // exactly one chunk
    {1, 17, 3, 32, DecayRange::kModel, true},     // one step into the second chunk, B·H = 3
    {2, 33, 1, 64, DecayRange::kModel, true},     // three chunks, the last one partial
    {3, 20, 1, 48, DecayRange::kFull, false},     // N = 48: several narrow value blocks
    {1, 40, 2, 32, DecayRange::kFull, true},      // decays all over (0, 1)
    {1, 24, 1, 32, DecayRange::kNearZero, true},  // decays ~1e-4: no division by w anywhere
    {1, 64, 1, 32, DecayRange::kNearOne, true},   // decays 1 − 1e-6: the state keeps growing
    {1, 5, 1, 128, DecayRange::kModel, true},     // N = 128 on a tiny T
    {2, 100, 3, 16, DecayRange::kModel, true},    // two time tiles of the kernel, ragged end
};

using Wkv7Case = std::tuple<Wkv7Shape, torch::ScalarType>;

class Wkv7OpVsOracle : public ::testing::TestWithParam<Wkv7Case> {};

TEST_P(Wkv7OpVsOracle, ForwardAndAllGradients) {
    const auto& [shape, dtype] = GetParam();
    const ThreadsGuard threads(2);
    const auto in = testing::make_wkv7_inputs(shape, dtype, 1234);
    const auto up = testing::make_upstream(shape, 99);
    const auto ref = testing::run_with_grads(testing::kWkv7Reference, in.to(torch::kFloat64), up);
    const auto got = testing::run_with_grads(testing::kWkv7Op, in, up);
    EXPECT_EQ(got.y.scalar_type(), dtype);
    EXPECT_EQ(got.state_final.scalar_type(), wkv7_state_dtype(dtype));
    testing::expect_runs_close(ref, got, testing::max_nmse(dtype));
}

INSTANTIATE_TEST_SUITE_P(Shapes, Wkv7OpVsOracle,
                         ::testing::Combine(::testing::ValuesIn(kShapes),
                                            ::testing::Values(torch::kFloat32, torch::kFloat64)),
                         [](const ::testing::TestParamInfo<Wkv7Case>& info) {
                             return testing::shape_name(std::get<0>(info.param)) +
                                    (std::get<1>(info.param) == torch::kFloat32 ? "_f32" : "_f64");
                         });

// Forward and backward straight on the raw-pointer kernels with a chosen instruction set.
template <typename S>
testing::Wkv7Run run_kernels(const testing::Wkv7Inputs& in, const testing::Upstream& up,
                             Wkv7CpuIsa isa) {
    const auto B = in.r.size(0), T = in.r.size(1), H = in.r.size(2), N = in.r.size(3);
    const auto opts = in.r.options();
    testing::Wkv7Run out{torch::empty_like(in.r), torch::empty({B, H, N, N}, opts), {}};
    const torch::Tensor checkpoints = torch::empty({B, H, wkv7_num_chunks(T), N, N}, opts);
    const torch::Tensor dy = up.gy.to(opts.dtype()), ds = up.gs.to(opts.dtype());
    for (int i = 0; i < 7; ++i) {
        out.grads.push_back(torch::empty_like(i < 6 ? in.r : in.state0));
    }
    Wkv7BackwardParams<S> p;
    p.B = B, p.T = T, p.H = H, p.N = N;
    p.r = in.r.data_ptr<S>(), p.w = in.w.data_ptr<S>(), p.k = in.k.data_ptr<S>();
    p.v = in.v.data_ptr<S>(), p.a = in.a.data_ptr<S>(), p.b = in.b.data_ptr<S>();
    p.state0 = in.state0.data_ptr<S>();
    p.y = out.y.data_ptr<S>(), p.state_final = out.state_final.data_ptr<S>();
    p.checkpoints = checkpoints.data_ptr<S>();
    wkv7_forward_cpu<S>(p, isa);
    p.dy = dy.data_ptr<S>(), p.dstate_final = ds.data_ptr<S>();
    S** grads[] = {&p.dr, &p.dw, &p.dk, &p.dv, &p.da, &p.db, &p.dstate0};
    for (int i = 0; i < 7; ++i) {
        *grads[i] = out.grads[i].data_ptr<S>();
    }
    wkv7_backward_cpu<S>(p, isa);
    return out;
}

TEST(Wkv7CpuKernel, EveryAvailableInstructionSetMatchesOracle) {
    int tested = 0;
    for (Wkv7CpuIsa isa : {Wkv7CpuIsa::kBaseline, Wkv7CpuIsa::kAvx2, Wkv7CpuIsa::kAvx512}) {
        if (!wkv7_cpu_isa_available(isa)) {
            continue;
        }
        ++tested;
        for (const Wkv7Shape& shape : {Wkv7Shape{2, 70, 3, 16, DecayRange::kModel, true},
                                       Wkv7Shape{1, 18, 2, 48, DecayRange::kFull, true},
                                       Wkv7Shape{1, 9, 1, 128, DecayRange::kModel, true}}) {
            for (torch::ScalarType dtype : {torch::kFloat32, torch::kFloat64}) {
                SCOPED_TRACE(std::string(wkv7_cpu_isa_name(isa)) + " " +
                             testing::shape_name(shape) + " " + c10::toString(dtype));
                const auto in = testing::make_wkv7_inputs(shape, dtype, 77);
                const auto up = testing::make_upstream(shape, 78);
                const auto ref =
                    testing::run_with_grads(testing::kWkv7Reference, in.to(torch::kFloat64), up);
                const auto got = dtype == torch::kFloat32 ? run_kernels<float>(in, up, isa)
                                                          : run_kernels<double>(in, up, isa);
                testing::expect_runs_close(ref, got, testing::max_nmse(dtype));
            }
        }
    }
    EXPECT_GE(tested, 1);
    std::cout << "[ info ] best instruction set here: " << wkv7_cpu_isa_name(wkv7_cpu_best_isa())
              << ", tested " << tested << "\n";
}

}  // namespace
}  // namespace statetrack::kernels
