// The wkv7() entry point's behaviour around the kernel: strided inputs, chunked calls that pass
// the state along, unused outputs, the no-grad path, state0 casts, double backward, and the
// argument checks. The suites are the registry's (tests/kernels/op_entry_suite.h,
// tests/kernels/op_suites.h); this file declares WKV7's shapes, strides and bad calls.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <functional>
#include <string>

#include "kernels/wkv7.h"
#include "tests/kernels/op_entry_suite.h"
#include "tests/kernels/op_suites.h"
#include "tests/kernels/wkv7_testing.h"

namespace statetrack::kernels {
namespace {

using testing::DecayRange;
using testing::Wkv7Op;

// Every input in a non-contiguous view (tests/kernels/op_registry.h): r, k, a transposed out of
// (B, H, T, N) storage, w, v, b sliced out of a longer sequence, state0 transposed.
testing::Wkv7Inputs strided_copy(const testing::Wkv7Inputs& in) {
    testing::Wkv7Inputs strided = in;
    bool transpose = true;
    for (torch::Tensor* t :
         {&strided.r, &strided.w, &strided.k, &strided.v, &strided.a, &strided.b}) {
        *t = transpose ? testing::transposed_copy(*t) : testing::sliced_copy(*t);
        transpose = !transpose;
    }
    strided.state0 = in.state0.transpose(2, 3).contiguous().transpose(2, 3);
    return strided;
}

const bool kEntrySuite = testing::register_entry_suite<Wkv7Op>(
    {"Wkv7Op",
     /*strided=*/{2, 21, 2, 32, DecayRange::kModel, true}, &strided_copy,
     /*chunked=*/{{2, 40, 2, 16, DecayRange::kModel, true}},
     /*one_output=*/{1, 19, 2, 16, DecayRange::kModel, true},
     /*no_grad=*/{2, 18, 1, 32, DecayRange::kModel, true},
     /*no_grad_leaf=*/0,  // r
     /*state_cast=*/{1, 11, 2, 16, DecayRange::kModel, true},
     /*double_backward=*/{1, 3, 1, 16, DecayRange::kModel, false}},
    __FILE__);

// --- argument checks (inputs of shape B = 1, T = 5, H = 2, N = 16 spoiled) ---

// Applies f to each of r, w, k, v, a, b.
void for_each_input(testing::Wkv7Inputs& in,
                    const std::function<torch::Tensor(const torch::Tensor&)>& f) {
    for (torch::Tensor* t : {&in.r, &in.w, &in.k, &in.v, &in.a, &in.b}) {
        *t = f(*t);
    }
}
void set_head_size(testing::Wkv7Inputs& in, int64_t N) {
    for_each_input(in, [N](const torch::Tensor& x) {
        return torch::zeros({x.size(0), x.size(1), x.size(2), N}, x.options());
    });
    in.state0 = torch::Tensor();
}

const bool kBadCalls = testing::register_bad_calls<Wkv7Op>(
    "Wkv7OpRejects", {1, 5, 2, 16, DecayRange::kModel, true},
    {
        {"N8", [](auto& in) { set_head_size(in, 8); },
         "head size N = 8 (r.size(3)) is not supported; N must be a positive multiple of 16"},
        {"N20", [](auto& in) { set_head_size(in, 20); }, "head size N = 20"},
        {"KShorterT", [](auto& in) { in.k = in.k.narrow(1, 0, 4); },
         "k has shape [1, 4, 2, 16] but r has [1, 5, 2, 16]"},
        {"RThreeDims", [](auto& in) { in.r = in.r[0]; }, "r must be (B, T, H, N)"},
        {"ZeroSteps",
         [](auto& in) {
             for_each_input(in, [](const torch::Tensor& x) { return x.narrow(1, 0, 0); });
         },
         "must be positive"},
        {"IntegerR", [](auto& in) { in.r = in.r.to(torch::kInt64); },
         "r has dtype Long; supported: float32, float64"},
        {"HalfInputs",
         [](auto& in) {
             for_each_input(in, [](const torch::Tensor& x) { return x.to(torch::kHalf); });
         },
         "supported: float32, float64"},
        {"MixedDtypes", [](auto& in) { in.v = in.v.to(torch::kFloat64); },
         "v has dtype Double but r has Float"},
        {"State0Shape", [](auto& in) { in.state0 = in.state0.narrow(3, 0, 8); },
         "state0 has shape [1, 2, 16, 8]; expected (B, H, N, N) = [1, 2, 16, 16]"},
        {"State0Integer", [](auto& in) { in.state0 = in.state0.to(torch::kInt32); },
         "state0 has dtype Int"},
        {"UndefinedB", [](auto& in) { in.b = torch::Tensor(); }, "b is an undefined tensor"},
    },
    __FILE__);

}  // namespace
}  // namespace statetrack::kernels
