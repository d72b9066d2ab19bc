// The behaviour suite of an op's entry point (wkv7(), selective_scan(), ...) around its kernel,
// registered from the op's descriptor (tests/kernels/op_registry.h) and an EntrySuite table:
//   <name>.NonContiguousInputsMatchOracle       strided inputs against the float64 oracle
//   <name>.ChunkedCallsWithStatePassingEqualOneCall
//                                               two calls passing the state = one call,
//                                               outputs and gradients
//   <name>.LossOnOneOutputOnly                  the other output's gradient arrives undefined
//   <name>.NoGradCallMatchesAndKeepsNoGraph
//   <name>.<State>IsCastDifferentiably          a float64 initial state with float32 inputs:
//                                               the state is kept in float32, its gradient
//                                               comes back in float64
//   <name>.DoubleBackwardIsRefused
// <State> is the initial state's argument name, capitalised (State0, H0).
#pragma once

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cctype>
#include <functional>
#include <string>
#include <vector>

#include "tests/kernels/op_registry.h"
#include "tests/kernels/op_suites.h"

namespace statetrack::kernels::testing {

// The op's shapes and hooks for each behaviour test.
template <typename Op>
struct EntrySuite {
    using Shape = typename Op::Shape;
    using Inputs = typename Op::Inputs;
    std::string name;
    Shape strided;
    std::function<Inputs(const Inputs&)> make_strided;  // the same values, none contiguous
    std::vector<Shape> chunked;                         // each split after step 23 of 40
    Shape one_output;
    Shape no_grad;
    size_t no_grad_leaf;  // the argument that requires grad in the no-grad test
    Shape state_cast;
    Shape double_backward;  // without an initial state
};

template <typename Op>
void expect_strided_inputs_match_oracle(const EntrySuite<Op>& suite) {
    const auto in = Op::make_inputs(suite.strided, torch::kFloat32, 5);
    const Upstream up = make_upstream(suite.strided, 6);
    auto strided = suite.make_strided(in);
    for (const torch::Tensor* t : strided.fields()) {
        ASSERT_FALSE(t->is_contiguous());
    }
    const OpRun ref = run_with_grads(Op::kReference, in.to(torch::kFloat64), up);
    const OpRun got = run_with_grads(Op::kOp, strided, up);
    expect_runs_close(ref, got, Op::kMaxNmseFloat32);
}

// Training a long sequence in two calls, the state passed from the first into the second,
// gives the same outputs and gradients as one call (gradients reach the first call through
// its state_final).
template <typename Op>
void expect_chunked_calls_equal_one_call(const EntrySuite<Op>& suite) {
    for (const auto& shape : suite.chunked) {
        SCOPED_TRACE(shape_name(shape));
        const auto in = Op::make_inputs(shape, torch::kFloat64, 7);
        const Upstream up = make_upstream(shape, 8);
        const OpRun one = run_with_grads(Op::kOp, in, up);
        const OpCall two_calls = in_two_calls(Op::bind(Op::kOp, in), Op::signature(), 23);
        const OpRun two = run_call_with_grads(two_calls, args_of(in), up, Op::signature());
        expect_runs_close(one, two, Op::kMaxNmseFloat64);
    }
}

// A loss on only one output: the other one's gradient arrives undefined.
template <typename Op>
void expect_loss_on_one_output(const EntrySuite<Op>& suite) {
    const auto in = Op::make_inputs(suite.one_output, torch::kFloat64, 9);
    const Upstream up = make_upstream(suite.one_output, 10);
    for (bool loss_on_y : {true, false}) {
        SCOPED_TRACE(loss_on_y ? "loss on y only"
                               : "loss on " + Op::signature().state_final + " only");
        Upstream one_sided = {up.gy.clone(), up.gs.clone()};
        (loss_on_y ? one_sided.gs : one_sided.gy).zero_();
        const OpRun ref = run_with_grads(Op::kReference, in, one_sided);
        const OpCall only = with_loss_on_y_only(Op::bind(Op::kOp, in), loss_on_y);
        const OpRun got = run_call_with_grads(only, args_of(in), up, Op::signature());
        expect_grads_close(ref, got, Op::kMaxNmseFloat64);
    }
}

template <typename Op>
void expect_no_grad_call_keeps_no_graph(const EntrySuite<Op>& suite) {
    auto in = Op::make_inputs(suite.no_grad, torch::kFloat32, 13);
    in.fields().at(suite.no_grad_leaf)->requires_grad_(true);
    const OpCall call = Op::bind(Op::kOp, in);
    auto [y_grad, s_grad] = call(args_of(in));
    EXPECT_TRUE(y_grad.requires_grad());
    torch::NoGradGuard no_grad;
    auto [y, s] = call(args_of(in));
    EXPECT_FALSE(y.requires_grad());
    EXPECT_TRUE(torch::equal(y, y_grad.detach()));
    EXPECT_TRUE(torch::equal(s, s_grad.detach()));
}

// A float64 initial state with float32 inputs: the state is kept in float32 and the initial
// state's gradient comes back in float64.
template <typename Op>
void expect_state_cast_differentiably(const EntrySuite<Op>& suite) {
    const auto in64 = Op::make_inputs(suite.state_cast, torch::kFloat64, 15);
    auto mixed = in64.to(torch::kFloat32);
    *mixed.fields().back() = args_of(in64).back().to(torch::kFloat32).to(torch::kFloat64);
    const Upstream up = make_upstream(suite.state_cast, 16);
    const OpRun got = run_with_grads(Op::kOp, mixed, up);
    EXPECT_EQ(got.state_final.scalar_type(), torch::kFloat32);
    EXPECT_EQ(got.grads.at(6).scalar_type(), torch::kFloat64);
    const OpRun ref = run_with_grads(Op::kReference, mixed.to(torch::kFloat64), up);
    expect_grads_close(ref, got, Op::kMaxNmseFloat32);
}

template <typename Op>
void expect_double_backward_refused(const EntrySuite<Op>& suite) {
    auto in = Op::make_inputs(suite.double_backward, torch::kFloat64, 17);
    torch::Tensor& x = *in.fields().front();
    x.requires_grad_(true);
    auto [y, s] = Op::bind(Op::kOp, in)(args_of(in));
    try {
        torch::autograd::grad({y.square().sum()}, {x}, {}, /*retain_graph=*/true,
                              /*create_graph=*/true);
        FAIL() << "expected an error";
    } catch (const c10::Error& e) {
        EXPECT_NE(std::string(e.what_without_backtrace()).find("double backward"),
                  std::string::npos)
            << e.what_without_backtrace();
    }
}

template <typename Op>
bool register_entry_suite(const EntrySuite<Op>& suite, const char* file) {
    std::string state = Op::signature().args.back();
    state[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(state[0])));
    const std::pair<std::string, void (*)(const EntrySuite<Op>&)> tests[] = {
        {"NonContiguousInputsMatchOracle", &expect_strided_inputs_match_oracle<Op>},
        {"ChunkedCallsWithStatePassingEqualOneCall", &expect_chunked_calls_equal_one_call<Op>},
        {"LossOnOneOutputOnly", &expect_loss_on_one_output<Op>},
        {"NoGradCallMatchesAndKeepsNoGraph", &expect_no_grad_call_keeps_no_graph<Op>},
        {state + "IsCastDifferentiably", &expect_state_cast_differentiably<Op>},
        {"DoubleBackwardIsRefused", &expect_double_backward_refused<Op>},
    };
    for (const auto& [test, body] : tests) {
        register_test<RegisteredTest<Op>>(suite.name, test, file,
                                          [suite, body = body] { body(suite); });
    }
    return true;
}

}  // namespace statetrack::kernels::testing
