// The CPU WKV7 kernel against the float64 oracle: forward (y, state_final) and every gradient
// (r, w, k, v, a, b, state0) through random upstream gradients on y AND state_final, over a
// table of shapes and decay ranges, in float32 and float64, with two threads so B·H splits
// unevenly. Then every instruction set this machine has, called on raw pointers. The suites
// are the registry's (tests/kernels/op_suites.h); this file declares WKV7's tables and its
// raw-pointer fast path.
#include "kernels/wkv7_cpu.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "kernels/wkv7.h"
#include "tests/kernels/op_suites.h"
#include "tests/kernels/wkv7_testing.h"

namespace statetrack::kernels {
namespace {

using testing::DecayRange;
using testing::Wkv7Op;
using testing::Wkv7Shape;

const std::vector<Wkv7Shape> kShapes = {
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

const bool kOracleSuite =
    testing::register_oracle_suite<Wkv7Op>("Wkv7OpVsOracle", kShapes, /*threads=*/2, __FILE__);

// Forward and backward straight on the raw-pointer kernels with a chosen instruction set.
template <typename S>
testing::OpRun run_kernels(const testing::Wkv7Inputs& in, const testing::Upstream& up,
                           Wkv7CpuIsa isa) {
    const auto B = in.r.size(0), T = in.r.size(1), H = in.r.size(2), N = in.r.size(3);
    auto t = testing::kernel_tensors(in, up, {B, H, N, N}, {B, H, wkv7_num_chunks(T), N, N});
    Wkv7BackwardParams<S> p;
    p.B = B, p.T = T, p.H = H, p.N = N;
    point_at({&p.r, &p.w, &p.k, &p.v, &p.a, &p.b, &p.state0}, t.args);
    point_at({&p.y, &p.state_final, &p.checkpoints}, {t.out.y, t.out.state_final, t.checkpoints});
    wkv7_forward_cpu<S>(p, isa);
    point_at({&p.dy, &p.dstate_final}, {t.dy, t.dstate_final});
    point_at({&p.dr, &p.dw, &p.dk, &p.dv, &p.da, &p.db, &p.dstate0}, t.out.grads);
    wkv7_backward_cpu<S>(p, isa);
    return t.out;
}

const bool kKernelSuite =
    testing::register_kernel_suite<Wkv7Op>("Wkv7CpuKernel",
                                           {Wkv7Shape{2, 70, 3, 16, DecayRange::kModel, true},
                                            Wkv7Shape{1, 18, 2, 48, DecayRange::kFull, true},
                                            Wkv7Shape{1, 9, 1, 128, DecayRange::kModel, true}},
                                           {&run_kernels<float>, &run_kernels<double>}, __FILE__);

}  // namespace
}  // namespace statetrack::kernels
