// The CPU selective-scan kernel against the float64 oracle: forward (y, h_final) and every
// gradient (u, delta, A, Bm, Cm, Dskip, h0) through random upstream gradients on y AND h_final,
// over a table of shapes in both eigenvalue modes, float32 and float64, with three threads so
// the (batch, channel block) units split unevenly. Then every instruction set this machine has,
// called on raw pointers, and the thread-count independence of the results.
#include "kernels/selective_scan_cpu.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <string>
#include <tuple>

#include "kernels/selective_scan.h"
#include "kernels/selective_scan_params.h"
#include "tests/kernels/selective_scan_testing.h"

namespace statetrack::kernels {
namespace {

using testing::ScanShape;

// Channel blocks are kSelectiveScanCpuDBlock = 16 wide; chunks kSelectiveScanChunkLen = 16.
const ScanShape kShapes[] = {
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
};

using ScanCase = std::tuple<ScanShape, torch::ScalarType>;

// Worst NMSE seen per dtype, printed at the end of the suite for the record.
std::map<torch::ScalarType, double>& worst_seen() {
    static std::map<torch::ScalarType, double> worst;
    return worst;
}

class SelectiveScanOpVsOracle : public ::testing::TestWithParam<ScanCase> {
  public:
    static void TearDownTestSuite() {
        for (const auto& [dtype, nmse] : worst_seen()) {
            std::cout << "[ info ] worst NMSE vs the float64 oracle, " << c10::toString(dtype)
                      << ": " << nmse << "\n";
        }
    }
};

TEST_P(SelectiveScanOpVsOracle, ForwardAndAllGradients) {
    const auto& [shape, dtype] = GetParam();
    const testing::ThreadsGuard threads(3);
    const auto in = testing::make_scan_inputs(shape, dtype, 1234);
    const auto up = testing::make_upstream(shape, 99);
    const auto ref = testing::run_with_grads(testing::kScanReference, in.to(torch::kFloat64), up);
    const auto got = testing::run_with_grads(testing::kScanOp, in, up);
    EXPECT_EQ(got.y.scalar_type(), dtype);
    EXPECT_EQ(got.h_final.scalar_type(), dtype);
    testing::expect_runs_close(ref, got, testing::max_nmse(dtype));
    double& worst = worst_seen()[dtype];
    worst = std::max(worst, testing::worst_nmse(ref, got));
}

INSTANTIATE_TEST_SUITE_P(Shapes, SelectiveScanOpVsOracle,
                         ::testing::Combine(::testing::ValuesIn(kShapes),
                                            ::testing::Values(torch::kFloat32, torch::kFloat64)),
                         [](const ::testing::TestParamInfo<ScanCase>& info) {
                             return testing::shape_name(std::get<0>(info.param)) +
                                    (std::get<1>(info.param) == torch::kFloat32 ? "_f32" : "_f64");
                         });

// Forward and backward straight on the raw-pointer kernels with a chosen instruction set.
template <typename F>
testing::ScanRun run_kernels(const testing::ScanInputs& in, const testing::Upstream& up,
                             Wkv7CpuIsa isa) {
    const auto B = in.u.size(0), T = in.u.size(1), D = in.u.size(2), S = in.A.size(1);
    const auto opts = in.u.options();
    testing::ScanRun out{torch::empty_like(in.u), torch::empty({B, D, S}, opts), {}};
    const torch::Tensor checkpoints = torch::empty({B, D, selective_scan_num_chunks(T), S}, opts);
    const torch::Tensor dy = up.gy.to(opts.dtype()), dh = up.gh.to(opts.dtype());
    for (const torch::Tensor* like : {&in.u, &in.delta, &in.A, &in.Bm, &in.Cm, &in.Dskip, &in.h0}) {
        out.grads.push_back(torch::empty_like(*like));
    }
    SelectiveScanBackwardParams<F> p;
    p.B = B, p.T = T, p.D = D, p.S = S;
    p.negative_eigenvalues = in.negative_eigenvalues;
    p.u = in.u.data_ptr<F>(), p.delta = in.delta.data_ptr<F>(), p.A = in.A.data_ptr<F>();
    p.Bm = in.Bm.data_ptr<F>(), p.Cm = in.Cm.data_ptr<F>(), p.Dskip = in.Dskip.data_ptr<F>();
    p.h0 = in.h0.data_ptr<F>();
    p.y = out.y.data_ptr<F>(), p.h_final = out.h_final.data_ptr<F>();
    p.checkpoints = checkpoints.data_ptr<F>();
    selective_scan_forward_cpu<F>(p, isa);
    p.dy = dy.data_ptr<F>(), p.dh_final = dh.data_ptr<F>();
    F** grads[] = {&p.du, &p.ddelta, &p.dA, &p.dBm, &p.dCm, &p.dDskip, &p.dh0};
    for (int i = 0; i < 7; ++i) {
        *grads[i] = out.grads[i].data_ptr<F>();
    }
    selective_scan_backward_cpu<F>(p, isa);
    return out;
}

TEST(SelectiveScanCpuKernel, EveryAvailableInstructionSetMatchesOracle) {
    int tested = 0;
    for (Wkv7CpuIsa isa : {Wkv7CpuIsa::kBaseline, Wkv7CpuIsa::kAvx2, Wkv7CpuIsa::kAvx512}) {
        if (!wkv7_cpu_isa_available(isa)) {
            continue;
        }
        ++tested;
        for (const ScanShape& shape :
             {ScanShape{2, 35, 19, 16, true, true}, ScanShape{1, 20, 3, 7, true, false},
              ScanShape{2, 9, 17, 33, true, true}}) {
            for (torch::ScalarType dtype : {torch::kFloat32, torch::kFloat64}) {
                SCOPED_TRACE(std::string(wkv7_cpu_isa_name(isa)) + " " +
                             testing::shape_name(shape) + " " + c10::toString(dtype));
                const auto in = testing::make_scan_inputs(shape, dtype, 77);
                const auto up = testing::make_upstream(shape, 78);
                const auto ref =
                    testing::run_with_grads(testing::kScanReference, in.to(torch::kFloat64), up);
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

// Partial sums are added in a fixed order, so the thread count changes no bit of the result.
TEST(SelectiveScanCpuKernel, ResultsDoNotDependOnTheThreadCount) {
    const ScanShape shape{3, 40, 37, 16, true, true};
    const auto in = testing::make_scan_inputs(shape, torch::kFloat32, 5);
    const auto up = testing::make_upstream(shape, 6);
    testing::ScanRun one, three;
    {
        const testing::ThreadsGuard threads(1);
        one = testing::run_with_grads(testing::kScanOp, in, up);
    }
    {
        const testing::ThreadsGuard threads(3);
        three = testing::run_with_grads(testing::kScanOp, in, up);
    }
    EXPECT_TRUE(torch::equal(one.y, three.y));
    EXPECT_TRUE(torch::equal(one.h_final, three.h_final));
    for (size_t i = 0; i < one.grads.size(); ++i) {
        EXPECT_TRUE(torch::equal(one.grads[i], three.grads[i])) << testing::kGradNames[i];
    }
}

}  // namespace
}  // namespace statetrack::kernels
