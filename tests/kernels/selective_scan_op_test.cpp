// The selective_scan() entry point's behaviour around the kernel: strided inputs, chunked
// calls that pass the state along, unused outputs, the no-grad path, h0 casts, double
// backward, and the argument checks. The suites are the registry's
// (tests/kernels/op_entry_suite.h, tests/kernels/op_suites.h); this file declares the selective
// scan's shapes, strides and bad calls.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <functional>
#include <string>

#include "kernels/selective_scan.h"
#include "tests/kernels/op_entry_suite.h"
#include "tests/kernels/op_suites.h"
#include "tests/kernels/selective_scan_testing.h"

namespace statetrack::kernels {
namespace {

using testing::ScanOp;

using testing::sliced_copy;
using testing::transposed_copy;

torch::Tensor zeros(int64_t rows, int64_t cols) { return torch::zeros({rows, cols}); }

// Every input in a non-contiguous view: A transposed in its storage, Dskip strided.
testing::ScanInputs strided_copy(const testing::ScanInputs& in) {
    testing::ScanInputs strided = in;
    strided.u = transposed_copy(in.u);
    strided.delta = sliced_copy(in.delta);
    strided.A = in.A.t().contiguous().t();
    strided.Bm = sliced_copy(in.Bm);
    strided.Cm = transposed_copy(in.Cm);
    strided.Dskip = torch::stack({in.Dskip, in.Dskip}, 1).select(1, 0);
    strided.h0 = in.h0.transpose(1, 2).contiguous().transpose(1, 2);
    return strided;
}

// Shapes (B, T, D, S, with h0, negative eigenvalues) of each behaviour test.
const bool kEntrySuite = testing::register_entry_suite<ScanOp>(
    {"SelectiveScanOp",
     {2, 21, 19, 16, true, true},
     &strided_copy,
     /*chunked, both modes=*/{{2, 40, 5, 4, true, false}, {2, 40, 5, 4, true, true}},
     /*one_output=*/{1, 19, 6, 4, true, false},
     /*no_grad=*/{2, 18, 7, 16, true, true},
     /*no_grad_leaf: delta=*/1,
     /*state_cast=*/{1, 11, 3, 4, true, false},
     /*double_backward=*/{1, 3, 2, 4, false, false}},
    __FILE__);

// --- argument checks (inputs of shape B = 2, T = 5, D = 3, S = 4 spoiled) ---

const bool kBadCalls = testing::register_bad_calls<ScanOp>(
    "SelectiveScanOpRejects", {2, 5, 3, 4, true, false},
    {
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
        {"AWrongD", [](auto& in) { in.A = zeros(4, 4); },
         "A has shape [4, 4]; expected (D, S) with D = 3 (u.size(2)) and S >= 1"},
        {"AOneDim", [](auto& in) { in.A = torch::zeros({3}); }, "A has shape [3]"},
        {"UndefinedA", [](auto& in) { in.A = torch::Tensor(); }, "A is an undefined tensor"},
        {"BmWrongS", [](auto& in) { in.Bm = in.Bm.narrow(2, 0, 3); },
         "Bm has shape [2, 5, 3]; expected (B, T, S) = [2, 5, 4]"},
        {"CmDouble", [](auto& in) { in.Cm = in.Cm.to(torch::kFloat64); },
         "Cm has dtype Double but u has Float"},
        {"CmWrongB", [](auto& in) { in.Cm = in.Cm.narrow(0, 0, 1); },
         "Cm has shape [1, 5, 4]; expected (B, T, S) = [2, 5, 4]"},
        {"DskipMatrix", [](auto& in) { in.Dskip = zeros(3, 1); },
         "Dskip has shape [3, 1]; expected (D) = [3]"},
        {"UndefinedDskip", [](auto& in) { in.Dskip = torch::Tensor(); },
         "Dskip is an undefined tensor"},
        {"H0Shape", [](auto& in) { in.h0 = in.h0.narrow(2, 0, 2); },
         "h0 has shape [2, 3, 2]; expected (B, D, S) = [2, 3, 4]"},
        {"H0Integer", [](auto& in) { in.h0 = in.h0.to(torch::kInt32); }, "h0 has dtype Int"},
    },
    __FILE__);

}  // namespace
}  // namespace statetrack::kernels
