// The wkv7() entry point's behaviour around the kernel: strided inputs, chunked calls that pass
// the state along, unused outputs, the no-grad path, state0 casts, and the argument checks.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <functional>
#include <string>

#include "kernels/wkv7.h"
#include "tests/kernels/wkv7_testing.h"

namespace statetrack::kernels {
namespace {

using testing::DecayRange;
using testing::Wkv7Shape;

// (B, T, H, N) views that are not contiguous: one transposed out of (B, H, T, N) storage, the
// others sliced out of a longer sequence.
torch::Tensor transposed_copy(const torch::Tensor& x) {
    return x.transpose(1, 2).contiguous().transpose(1, 2);
}
torch::Tensor sliced_copy(const torch::Tensor& x) {
    auto padded = torch::zeros({x.size(0), x.size(1) + 3, x.size(2), x.size(3)}, x.options());
    padded.narrow(1, 2, x.size(1)).copy_(x);
    return padded.narrow(1, 2, x.size(1));
}

TEST(Wkv7Op, NonContiguousInputsMatchOracle) {
    const Wkv7Shape shape{2, 21, 2, 32, DecayRange::kModel, true};
    const auto in = testing::make_wkv7_inputs(shape, torch::kFloat32, 5);
    const auto up = testing::make_upstream(shape, 6);
    testing::Wkv7Inputs strided = in;
    strided.r = transposed_copy(in.r);
    strided.w = sliced_copy(in.w);
    strided.k = transposed_copy(in.k);
    strided.v = sliced_copy(in.v);
    strided.a = transposed_copy(in.a);
    strided.b = sliced_copy(in.b);
    strided.state0 = in.state0.transpose(2, 3).contiguous().transpose(2, 3);
    ASSERT_FALSE(strided.r.is_contiguous());
    ASSERT_FALSE(strided.w.is_contiguous());
    ASSERT_FALSE(strided.state0.is_contiguous());
    const auto ref = testing::run_with_grads(testing::kWkv7Reference, in.to(torch::kFloat64), up);
    const auto got = testing::run_with_grads(testing::kWkv7Op, strided, up);
    testing::expect_runs_close(ref, got, testing::kMaxNmseFloat32);
}

// Training a long sequence in two calls, the state passed from the first into the second,
// gives the same outputs and the same gradients as one call (gradients reach the first call
// through its state_final).
TEST(Wkv7Op, ChunkedCallsWithStatePassingEqualOneCall) {
    const Wkv7Shape shape{2, 40, 2, 16, DecayRange::kModel, true};
    const auto in = testing::make_wkv7_inputs(shape, torch::kFloat64, 7);
    const auto up = testing::make_upstream(shape, 8);
    const testing::Wkv7Fn two_calls = [](const torch::Tensor& r, const torch::Tensor& w,
                                         const torch::Tensor& k, const torch::Tensor& v,
                                         const torch::Tensor& a, const torch::Tensor& b,
                                         const c10::optional<torch::Tensor>& s0) {
        auto part = [](const torch::Tensor& x, int64_t start, int64_t len) {
            return x.narrow(1, start, len);
        };
        auto [y1, s1] = wkv7(part(r, 0, 23), part(w, 0, 23), part(k, 0, 23), part(v, 0, 23),
                             part(a, 0, 23), part(b, 0, 23), s0);
        auto [y2, s2] = wkv7(part(r, 23, 17), part(w, 23, 17), part(k, 23, 17), part(v, 23, 17),
                             part(a, 23, 17), part(b, 23, 17), s1);
        return std::make_tuple(torch::cat({y1, y2}, 1), s2);
    };
    const auto one = testing::run_with_grads(testing::kWkv7Op, in, up);
    const auto two = testing::run_with_grads(two_calls, in, up);
    testing::expect_runs_close(one, two, testing::kMaxNmseFloat64);
}

// A loss on only one output: the other one's gradient arrives undefined.
TEST(Wkv7Op, LossOnOneOutputOnly) {
    const Wkv7Shape shape{1, 19, 2, 16, DecayRange::kModel, true};
    const auto in = testing::make_wkv7_inputs(shape, torch::kFloat64, 9);
    const auto up = testing::make_upstream(shape, 10);
    for (bool loss_on_y : {true, false}) {
        SCOPED_TRACE(loss_on_y ? "loss on y only" : "loss on state_final only");
        const testing::Wkv7Fn only = [loss_on_y](const torch::Tensor& r, const torch::Tensor& w,
                                                 const torch::Tensor& k, const torch::Tensor& v,
                                                 const torch::Tensor& a, const torch::Tensor& b,
                                                 const c10::optional<torch::Tensor>& s0) {
            auto [y, s] = wkv7(r, w, k, v, a, b, s0);
            // detach() cuts the unused output out of the graph.
            return loss_on_y ? std::make_tuple(y, s.detach()) : std::make_tuple(y.detach(), s);
        };
        testing::Upstream one_sided = {up.gy.clone(), up.gs.clone()};
        (loss_on_y ? one_sided.gs : one_sided.gy).zero_();
        const auto ref = testing::run_with_grads(testing::kWkv7Reference, in, one_sided);
        const auto got = testing::run_with_grads(only, in, up);
        testing::expect_grads_close(ref, got, testing::kMaxNmseFloat64);
    }
}

TEST(Wkv7Op, NoGradCallMatchesAndKeepsNoGraph) {
    const Wkv7Shape shape{2, 18, 1, 32, DecayRange::kModel, true};
    auto in = testing::make_wkv7_inputs(shape, torch::kFloat32, 13);
    in.r.requires_grad_(true);
    auto [y_grad, s_grad] = wkv7(in.r, in.w, in.k, in.v, in.a, in.b, in.state0);
    EXPECT_TRUE(y_grad.requires_grad());
    torch::NoGradGuard no_grad;
    auto [y, s] = wkv7(in.r, in.w, in.k, in.v, in.a, in.b, in.state0);
    EXPECT_FALSE(y.requires_grad());
    EXPECT_TRUE(torch::equal(y, y_grad.detach()));
    EXPECT_TRUE(torch::equal(s, s_grad.detach()));
}

// A float64 state0 with float32 inputs: the state is kept in float32 and state0's gradient
// comes back in float64.
TEST(Wkv7Op, State0IsCastDifferentiably) {
    const Wkv7Shape shape{1, 11, 2, 16, DecayRange::kModel, true};
    const auto in64 = testing::make_wkv7_inputs(shape, torch::kFloat64, 15);
    testing::Wkv7Inputs mixed = in64.to(torch::kFloat32);
    mixed.state0 = in64.state0.to(torch::kFloat32).to(torch::kFloat64);
    const auto up = testing::make_upstream(shape, 16);
    const auto got = testing::run_with_grads(testing::kWkv7Op, mixed, up);
    EXPECT_EQ(got.state_final.scalar_type(), torch::kFloat32);
    EXPECT_EQ(got.grads[6].scalar_type(), torch::kFloat64);
    const auto ref =
        testing::run_with_grads(testing::kWkv7Reference, mixed.to(torch::kFloat64), up);
    testing::expect_grads_close(ref, got, testing::kMaxNmseFloat32);
}

TEST(Wkv7Op, DoubleBackwardIsRefused) {
    const Wkv7Shape shape{1, 3, 1, 16, DecayRange::kModel, false};
    auto in = testing::make_wkv7_inputs(shape, torch::kFloat64, 17);
    in.r.requires_grad_(true);
    auto [y, s] = wkv7(in.r, in.w, in.k, in.v, in.a, in.b);
    try {
        torch::autograd::grad({y.square().sum()}, {in.r}, {}, /*retain_graph=*/true,
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
    std::function<void(testing::Wkv7Inputs&)> spoil;
    const char* expected_message;
};

class Wkv7OpRejects : public ::testing::TestWithParam<BadCall> {};

TEST_P(Wkv7OpRejects, WithClearMessage) {
    auto in =
        testing::make_wkv7_inputs({1, 5, 2, 16, DecayRange::kModel, true}, torch::kFloat32, 1);
    GetParam().spoil(in);
    try {
        wkv7(in.r, in.w, in.k, in.v, in.a, in.b, in.state0);
        FAIL() << "expected an error";
    } catch (const c10::Error& e) {
        const std::string message = e.what_without_backtrace();
        EXPECT_NE(message.find(GetParam().expected_message), std::string::npos) << message;
    }
}

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

const BadCall kBadCalls[] = {
    {"N8", [](auto& in) { set_head_size(in, 8); },
     "head size N = 8 (r.size(3)) is not supported; N must be a positive multiple of 16"},
    {"N20", [](auto& in) { set_head_size(in, 20); }, "head size N = 20"},
    {"KShorterT", [](auto& in) { in.k = in.k.narrow(1, 0, 4); },
     "k has shape [1, 4, 2, 16] but r has [1, 5, 2, 16]"},
    {"RThreeDims", [](auto& in) { in.r = in.r[0]; }, "r must be (B, T, H, N)"},
    {"ZeroSteps",
     [](auto& in) { for_each_input(in, [](const torch::Tensor& x) { return x.narrow(1, 0, 0); }); },
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
};

INSTANTIATE_TEST_SUITE_P(BadArguments, Wkv7OpRejects, ::testing::ValuesIn(kBadCalls),
                         [](const ::testing::TestParamInfo<BadCall>& info) {
                             return std::string(info.param.what);
                         });

}  // namespace
}  // namespace statetrack::kernels
