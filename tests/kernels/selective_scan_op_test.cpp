// The selective_scan() entry point's behaviour around the kernel: strided inputs, chunked
// calls that pass the state along, unused outputs, the no-grad path, h0 casts, double
// backward, and the argument checks.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <functional>
#include <string>

#include "kernels/selective_scan.h"
#include "tests/kernels/selective_scan_testing.h"

namespace statetrack::kernels {
namespace {

using testing::ScanShape;

// A (B, T, X) view that is not contiguous: transposed out of (B, X, T) storage.
torch::Tensor transposed_copy(const torch::Tensor& x) {
    return x.transpose(1, 2).contiguous().transpose(1, 2);
}
// The same values sliced out of a longer (B, T + 3, X) sequence.
torch::Tensor sliced_copy(const torch::Tensor& x) {
    auto padded = torch::zeros({x.size(0), x.size(1) + 3, x.size(2)}, x.options());
    padded.narrow(1, 2, x.size(1)).copy_(x);
    return padded.narrow(1, 2, x.size(1));
}

TEST(SelectiveScanOp, NonContiguousInputsMatchOracle) {
    const ScanShape shape{2, 21, 19, 16, true, true};
    const auto in = testing::make_scan_inputs(shape, torch::kFloat32, 5);
    const auto up = testing::make_upstream(shape, 6);
    testing::ScanInputs strided = in;
    strided.u = transposed_copy(in.u);
    strided.delta = sliced_copy(in.delta);
    strided.A = in.A.t().contiguous().t();
    strided.Bm = sliced_copy(in.Bm);
    strided.Cm = transposed_copy(in.Cm);
    strided.Dskip = torch::stack({in.Dskip, in.Dskip}, 1).select(1, 0);
    strided.h0 = in.h0.transpose(1, 2).contiguous().transpose(1, 2);
    for (const torch::Tensor* t : {&strided.u, &strided.delta, &strided.A, &strided.Bm, &strided.Cm,
                                   &strided.Dskip, &strided.h0}) {
        ASSERT_FALSE(t->is_contiguous());
    }
    const auto ref = testing::run_with_grads(testing::kScanReference, in.to(torch::kFloat64), up);
    const auto got = testing::run_with_grads(testing::kScanOp, strided, up);
    testing::expect_runs_close(ref, got, testing::kMaxNmseFloat32);
}

// Training a long sequence in two calls, the state passed from the first into the second,
// gives the same outputs and gradients as one call (gradients reach the first call through
// its h_final).
TEST(SelectiveScanOp, ChunkedCallsWithStatePassingEqualOneCall) {
    for (bool negative : {false, true}) {
        SCOPED_TRACE(negative ? "negative eigenvalues" : "positive eigenvalues");
        const ScanShape shape{2, 40, 5, 4, true, negative};
        const auto in = testing::make_scan_inputs(shape, torch::kFloat64, 7);
        const auto up = testing::make_upstream(shape, 8);
        const testing::ScanFn two_calls = [](const torch::Tensor& u, const torch::Tensor& delta,
                                             const torch::Tensor& A, const torch::Tensor& Bm,
                                             const torch::Tensor& Cm, const torch::Tensor& Dskip,
                                             const c10::optional<torch::Tensor>& h0, bool neg) {
            auto part = [](const torch::Tensor& x, int64_t start, int64_t len) {
                return x.narrow(1, start, len);
            };
            auto [y1, h1] = selective_scan(part(u, 0, 23), part(delta, 0, 23), A, part(Bm, 0, 23),
                                           part(Cm, 0, 23), Dskip, h0, neg);
            auto [y2, h2] = selective_scan(part(u, 23, 17), part(delta, 23, 17), A,
                                           part(Bm, 23, 17), part(Cm, 23, 17), Dskip, h1, neg);
            return std::make_tuple(torch::cat({y1, y2}, 1), h2);
        };
        const auto one = testing::run_with_grads(testing::kScanOp, in, up);
        const auto two = testing::run_with_grads(two_calls, in, up);
        testing::expect_runs_close(one, two, testing::kMaxNmseFloat64);
    }
}

// A loss on only one output: the other one's gradient arrives undefined.
TEST(SelectiveScanOp, LossOnOneOutputOnly) {
    const ScanShape shape{1, 19, 6, 4, true, false};
    const auto in = testing::make_scan_inputs(shape, torch::kFloat64, 9);
    const auto up = testing::make_upstream(shape, 10);
    for (bool loss_on_y : {true, false}) {
        SCOPED_TRACE(loss_on_y ? "loss on y only" : "loss on h_final only");
        const testing::ScanFn only = [loss_on_y](const torch::Tensor& u, const torch::Tensor& delta,
                                                 const torch::Tensor& A, const torch::Tensor& Bm,
                                                 const torch::Tensor& Cm,
                                                 const torch::Tensor& Dskip,
                                                 const c10::optional<torch::Tensor>& h0, bool neg) {
            auto [y, h] = selective_scan(u, delta, A, Bm, Cm, Dskip, h0, neg);
            // detach() cuts the unused output out of the graph.
            return loss_on_y ? std::make_tuple(y, h.detach()) : std::make_tuple(y.detach(), h);
        };
        testing::Upstream one_sided = {up.gy.clone(), up.gh.clone()};
        (loss_on_y ? one_sided.gh : one_sided.gy).zero_();
        const auto ref = testing::run_with_grads(testing::kScanReference, in, one_sided);
        const auto got = testing::run_with_grads(only, in, up);
        testing::expect_grads_close(ref, got, testing::kMaxNmseFloat64);
    }
}

TEST(SelectiveScanOp, NoGradCallMatchesAndKeepsNoGraph) {
    const ScanShape shape{2, 18, 7, 16, true, true};
    auto in = testing::make_scan_inputs(shape, torch::kFloat32, 13);
    in.delta.requires_grad_(true);
    auto [y_grad, h_grad] =
        selective_scan(in.u, in.delta, in.A, in.Bm, in.Cm, in.Dskip, in.h0, true);
    EXPECT_TRUE(y_grad.requires_grad());
    torch::NoGradGuard no_grad;
    auto [y, h] = selective_scan(in.u, in.delta, in.A, in.Bm, in.Cm, in.Dskip, in.h0, true);
    EXPECT_FALSE(y.requires_grad());
    EXPECT_TRUE(torch::equal(y, y_grad.detach()));
    EXPECT_TRUE(torch::equal(h, h_grad.detach()));
}

// A float64 h0 with float32 inputs: the state is kept in float32 and h0's gradient comes back
// in float64.
TEST(SelectiveScanOp, H0IsCastDifferentiably) {
    const ScanShape shape{1, 11, 3, 4, true, false};
    const auto in64 = testing::make_scan_inputs(shape, torch::kFloat64, 15);
    testing::ScanInputs mixed = in64.to(torch::kFloat32);
    mixed.h0 = in64.h0.to(torch::kFloat32).to(torch::kFloat64);
    const auto up = testing::make_upstream(shape, 16);
    const auto got = testing::run_with_grads(testing::kScanOp, mixed, up);
    EXPECT_EQ(got.h_final.scalar_type(), torch::kFloat32);
    EXPECT_EQ(got.grads[6].scalar_type(), torch::kFloat64);
    const auto ref =
        testing::run_with_grads(testing::kScanReference, mixed.to(torch::kFloat64), up);
    testing::expect_grads_close(ref, got, testing::kMaxNmseFloat32);
}

TEST(SelectiveScanOp, DoubleBackwardIsRefused) {
    auto in = testing::make_scan_inputs({1, 3, 2, 4, false, false}, torch::kFloat64, 17);
    in.u.requires_grad_(true);
    auto [y, h] = selective_scan(in.u, in.delta, in.A, in.Bm, in.Cm, in.Dskip);
    try {
        torch::autograd::grad({y.square().sum()}, {in.u}, {}, /*retain_graph=*/true,
                              /*create_graph=*/true);
        FAIL() << "expected an error";
    } catch (const c10::Error& e) {
        EXPECT_NE(std::string(e.what_without_backtrace()).find("double backward"),
                  std::string::npos)
            << e.what_without_backtrace();
    }
}

// --- argument checks: each bad call fails with a message naming what is wrong ---

struct BadCall {
    const char* what;
    std::function<void(testing::ScanInputs&)> spoil;
    const char* expected_message;
};

class SelectiveScanOpRejects : public ::testing::TestWithParam<BadCall> {};

TEST_P(SelectiveScanOpRejects, WithClearMessage) {
    // B = 2, T = 5, D = 3, S = 4.
    auto in = testing::make_scan_inputs({2, 5, 3, 4, true, false}, torch::kFloat32, 1);
    GetParam().spoil(in);
    try {
        selective_scan(in.u, in.delta, in.A, in.Bm, in.Cm, in.Dskip, in.h0);
        FAIL() << "expected an error";
    } catch (const c10::Error& e) {
        const std::string message = e.what_without_backtrace();
        EXPECT_NE(message.find(GetParam().expected_message), std::string::npos) << message;
    }
}

const BadCall kBadCalls[] = {
    {"UndefinedU", [](auto& in) { in.u = torch::Tensor(); }, "u is an undefined tensor"},
    {"UTwoDims", [](auto& in) { in.u = in.u[0]; }, "u must be (B, T, D), got shape [5, 3]"},
    {"ZeroSteps", [](auto& in) { in.u = in.u.narrow(1, 0, 0); }, "must be positive"},
    {"IntegerU", [](auto& in) { in.u = in.u.to(torch::kInt64); },
     "u has dtype Long; supported: float32, float64"},
    {"HalfU", [](auto& in) { in.u = in.u.to(torch::kHalf); }, "supported: float32, float64"},
    {"DeltaShorterT", [](auto& in) { in.delta = in.delta.narrow(1, 0, 4); },
     "delta has shape [2, 4, 3]; expected u's (B, T, D) = [2, 5, 3]"},
    {"DeltaDouble", [](auto& in) { in.delta = in.delta.to(torch::kFloat64); },
     "delta has dtype Double but u has Float"},
    {"AWrongD",
     [](auto& in) {
         in.A = torch::zeros({4, 4});
     },
     "A has shape [4, 4]; expected (D, S) with D = 3 (u.size(2)) and S >= 1"},
    {"AOneDim", [](auto& in) { in.A = torch::zeros({3}); }, "A has shape [3]"},
    {"UndefinedA", [](auto& in) { in.A = torch::Tensor(); }, "A is an undefined tensor"},
    {"BmWrongS", [](auto& in) { in.Bm = in.Bm.narrow(2, 0, 3); },
     "Bm has shape [2, 5, 3]; expected (B, T, S) = [2, 5, 4]"},
    {"CmWrongB", [](auto& in) { in.Cm = in.Cm.narrow(0, 0, 1); },
     "Cm has shape [1, 5, 4]; expected (B, T, S) = [2, 5, 4]"},
    {"CmDouble", [](auto& in) { in.Cm = in.Cm.to(torch::kFloat64); },
     "Cm has dtype Double but u has Float"},
    {"DskipMatrix",
     [](auto& in) {
         in.Dskip = torch::zeros({3, 1});
     },
     "Dskip has shape [3, 1]; expected (D) = [3]"},
    {"UndefinedDskip", [](auto& in) { in.Dskip = torch::Tensor(); },
     "Dskip is an undefined tensor"},
    {"H0Shape", [](auto& in) { in.h0 = in.h0.narrow(2, 0, 2); },
     "h0 has shape [2, 3, 2]; expected (B, D, S) = [2, 3, 4]"},
    {"H0Integer", [](auto& in) { in.h0 = in.h0.to(torch::kInt32); }, "h0 has dtype Int"},
};

INSTANTIATE_TEST_SUITE_P(BadArguments, SelectiveScanOpRejects, ::testing::ValuesIn(kBadCalls),
                         [](const ::testing::TestParamInfo<BadCall>& info) {
                             return std::string(info.param.what);
                         });

}  // namespace
}  // namespace statetrack::kernels
