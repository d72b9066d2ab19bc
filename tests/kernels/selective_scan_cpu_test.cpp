// The CPU selective-scan kernel against the float64 oracle: forward (y, h_final) and every
// gradient (u, delta, A, Bm, Cm, Dskip, h0) through random upstream gradients on y AND h_final,
// over a table of shapes in both eigenvalue modes, float32 and float64, with three threads so
// the (batch, channel block) units split unevenly. Then every instruction set this machine has,
// called on raw pointers, and the thread-count independence of the results. The first two
// suites are the registry's (tests/kernels/op_suites.h) from the tables here.
#include "kernels/selective_scan_cpu.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "kernels/selective_scan.h"
#include "kernels/selective_scan_params.h"
#include "tests/kernels/op_suites.h"
#include "tests/kernels/selective_scan_testing.h"

namespace statetrack::kernels {
namespace {

using testing::ScanOp;
using testing::ScanShape;

// Channel blocks are kSelectiveScanCpuDBlock = 16 wide; chunks kSelectiveScanChunkLen = 16.
const bool kOracleSuite = testing::register_oracle_suite<ScanOp>(
    "SelectiveScanOpVsOracle",
    {
        {1, 1, 1, 1, false, false},     // a single step of a single scalar state
        {1, 1, 3, 16, true, true},      // a single step from h0
        {2, 7, 3, 4, true, false},      // T < one chunk; 2 units over 3 threads
        {3, 7, 5, 4, true, true},       // B·D = 15: 3 units, one per thread
        {2, 7, 16, 1, true, true},      // S = 1, one full channel block
        {3, 64, 37, 16, true, true},    // 4 full chunks, blocks 16 + 16 + 5, 9 units
        {2, 64, 20, 16, false, false},  // 4 units over 3 threads
        {1, 64, 4, 5, true, false},     // S not a multiple of any vector width
        {3, 33, 5, 4, true, false},     // 3 chunks, the last one a single step
        {2, 40, 33, 20, true, true},    // S = 20: two vectors per state on AVX-512 float
        {1, 17, 18, 16, true, false},   // one step into the second chunk, ragged block of 2
    },
    /*threads=*/3, __FILE__);

// Forward and backward straight on the raw-pointer kernels with a chosen instruction set.
template <typename F>
testing::OpRun run_kernels(const testing::ScanInputs& in, const testing::Upstream& up,
                           Wkv7CpuIsa isa) {
    const int64_t B = in.u.size(0), T = in.u.size(1), D = in.u.size(2), S = in.A.size(1);
    auto t = testing::kernel_tensors(in, up, {B, D, S}, {B, D, selective_scan_num_chunks(T), S});
    SelectiveScanBackwardParams<F> p;
    p.negative_eigenvalues = in.negative_eigenvalues;
    point_at({&p.du, &p.ddelta, &p.dA, &p.dBm, &p.dCm, &p.dDskip, &p.dh0}, t.out.grads);
    point_at({&p.u, &p.delta, &p.A, &p.Bm, &p.Cm, &p.Dskip, &p.h0, &p.dy, &p.dh_final},
             {t.args[0], t.args[1], t.args[2], t.args[3], t.args[4], t.args[5], t.args[6], t.dy,
              t.dstate_final});
    point_at({&p.y, &p.h_final, &p.checkpoints}, {t.out.y, t.out.state_final, t.checkpoints});
    p.B = B, p.T = T, p.D = D, p.S = S;
    selective_scan_forward_cpu<F>(p, isa);
    selective_scan_backward_cpu<F>(p, isa);
    return t.out;
}

const bool kKernelSuite = testing::register_kernel_suite<ScanOp>(
    "SelectiveScanCpuKernel",
    {ScanShape{2, 35, 19, 16, true, true}, ScanShape{1, 20, 3, 7, true, false},
     ScanShape{2, 9, 17, 33, true, true}},
    {&run_kernels<float>, &run_kernels<double>}, __FILE__);

// Decays from e^-0.05 down past where e^(delta·A) underflows, in float32 (ln FLT_MIN ≈ −87.3)
// and in float64 (ln DBL_MIN ≈ −708.4): every instruction set's exp must give 0 there (a = 0,
// or exactly −1 in the negative mode) and the oracle's value elsewhere, gradients included.
void expect_underflowing_decays_match_oracle() {
    int tested = 0;
    for (Wkv7CpuIsa isa : {Wkv7CpuIsa::kBaseline, Wkv7CpuIsa::kAvx2, Wkv7CpuIsa::kAvx512}) {
        if (!wkv7_cpu_isa_available(isa)) {
            continue;
        }
        ++tested;
        for (const bool negative : {false, true}) {
            const ScanShape shape{2, 21, 19, 16, true, negative};
            for (torch::ScalarType dtype : {torch::kFloat32, torch::kFloat64}) {
                SCOPED_TRACE(std::string(wkv7_cpu_isa_name(isa)) + " " +
                             testing::shape_name(shape) + " " + c10::toString(dtype));
                auto in = testing::make_scan_inputs(shape, torch::kFloat64, 31);
                const auto decay = torch::logspace(std::log10(0.05), std::log10(3000.0), shape.S,
                                                   10.0, torch::kFloat64);
                in.A = -decay.repeat({shape.D, 1});
                in = in.to(dtype);
                const auto up = testing::make_upstream(shape, 32);
                const auto ref =
                    testing::run_with_grads(testing::kScanReference, in.to(torch::kFloat64), up);
                const auto got = dtype == torch::kFloat32 ? run_kernels<float>(in, up, isa)
                                                          : run_kernels<double>(in, up, isa);
                testing::expect_runs_close(ref, got, testing::op_max_nmse<ScanOp>(dtype));
            }
        }
    }
    EXPECT_GE(tested, 1);
}
const bool kUnderflowTest = (testing::register_test<testing::RegisteredTest<ScanOp>>(
                                 "SelectiveScanCpuKernel", "UnderflowingDecaysMatchTheOracle",
                                 __FILE__, &expect_underflowing_decays_match_oracle),
                             true);

// Partial sums are added in a fixed order, so the thread count changes no bit of the result.
void expect_results_independent_of_thread_count() {
    const ScanShape shape{3, 40, 37, 16, true, true};
    const auto in = testing::make_scan_inputs(shape, torch::kFloat32, 5);
    const auto up = testing::make_upstream(shape, 6);
    testing::OpRun one, three;
    {
        const testing::ThreadsGuard threads(1);
        one = testing::run_with_grads(testing::kScanOp, in, up);
    }
    {
        const testing::ThreadsGuard threads(3);
        three = testing::run_with_grads(testing::kScanOp, in, up);
    }
    EXPECT_TRUE(torch::equal(one.y, three.y));
    EXPECT_TRUE(torch::equal(one.state_final, three.state_final));
    for (size_t i = 0; i < one.grads.size(); ++i) {
        EXPECT_TRUE(torch::equal(one.grads[i], three.grads[i])) << testing::grad_name(one, i);
    }
}
// In the registered suite, so it shares the suite's fixture.
const bool kThreadCountTest = (testing::register_test<testing::RegisteredTest<ScanOp>>(
                                   "SelectiveScanCpuKernel", "ResultsDoNotDependOnTheThreadCount",
                                   __FILE__, &expect_results_independent_of_thread_count),
                               true);

}  // namespace
}  // namespace statetrack::kernels
