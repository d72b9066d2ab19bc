// The gtest suites every op of the registry gets (tests/kernels/op_registry.h), registered from
// the op's descriptor and the tables its test files declare:
//   register_oracle_suite   Shapes/<name>.ForwardAndAllGradients/<shape>_<f32|f64>: the op
//                           (forward and every gradient) against the float64 reference over
//                           a shape table, with a fixed thread count; prints the worst NMSE.
//   register_kernel_suite   <name>.EveryAvailableInstructionSetMatchesOracle: the raw-pointer
//                           kernels with each instruction set this machine has.
//   register_bad_calls      BadArguments/<name>.WithClearMessage/<what>: argument checks.
// (The entry point's behaviour suite is in tests/kernels/op_entry_suite.h.)
// Seeds are fixed per test, so every op's inputs are reproducible. Registration runs during
// static initialisation (const bool k... = register_...(...);), before gtest_main.
#pragma once

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cctype>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "kernels/wkv7_cpu.h"
#include "tests/kernels/op_registry.h"

namespace statetrack::kernels::testing {

// A test whose body is a registered function; Op only separates each op's suites' statics.
template <typename Op>
class RegisteredTest : public ::testing::Test {
  public:
    explicit RegisteredTest(std::function<void()> body) : body_(std::move(body)) {}
    void TestBody() override { body_(); }

  private:
    std::function<void()> body_;
};

template <typename Fixture>
void register_test(const std::string& suite, const std::string& name, const char* file,
                   std::function<void()> body) {
    ::testing::RegisterTest(suite.c_str(), name.c_str(), nullptr, nullptr, file, 0,
                            [body]() -> Fixture* { return new Fixture(body); });
}

inline const char* dtype_suffix(torch::ScalarType dtype) {
    return dtype == torch::kFloat32 ? "_f32" : "_f64";
}

// --- the op against its float64 oracle over a shape table ---

template <typename Op>
class OracleTest : public RegisteredTest<Op> {
  public:
    using RegisteredTest<Op>::RegisteredTest;
    // Worst NMSE seen per dtype, printed at the end of the suite for the record.
    static std::map<torch::ScalarType, double>& worst_seen() {
        static std::map<torch::ScalarType, double> worst;
        return worst;
    }
    static void TearDownTestSuite() {
        for (const auto& [dtype, nmse] : worst_seen()) {
            std::cout << "[ info ] worst NMSE vs the float64 oracle, " << c10::toString(dtype)
                      << ": " << nmse << "\n";
        }
    }
};

template <typename Op>
void expect_op_matches_oracle(const typename Op::Shape& shape, torch::ScalarType dtype,
                              int threads) {
    const ThreadsGuard guard(threads);
    const auto in = Op::make_inputs(shape, dtype, 1234);
    const Upstream up = make_upstream(shape, 99);
    const OpRun ref = run_with_grads(Op::kReference, in.to(torch::kFloat64), up);
    const OpRun got = run_with_grads(Op::kOp, in, up);
    EXPECT_EQ(got.y.scalar_type(), dtype);
    EXPECT_EQ(got.state_final.scalar_type(), Op::state_dtype(dtype));
    expect_runs_close(ref, got, op_max_nmse<Op>(dtype));
    double& worst = OracleTest<Op>::worst_seen()[dtype];
    worst = std::max(worst, worst_nmse(ref, got));
}

template <typename Op>
bool register_oracle_suite(const std::string& name, const std::vector<typename Op::Shape>& shapes,
                           int threads, const char* file) {
    for (const auto& shape : shapes) {
        for (torch::ScalarType dtype : {torch::kFloat32, torch::kFloat64}) {
            register_test<OracleTest<Op>>(
                "Shapes/" + name,
                "ForwardAndAllGradients/" + shape_name(shape) + dtype_suffix(dtype), file,
                [=] { expect_op_matches_oracle<Op>(shape, dtype, threads); });
        }
    }
    return true;
}

// --- the raw-pointer kernels with every instruction set this machine has ---

template <typename Op>
struct KernelPath {
    // Forward and backward straight on the kernels, in float32 and in float64.
    OpRun (*run_float)(const typename Op::Inputs&, const Upstream&, Wkv7CpuIsa);
    OpRun (*run_double)(const typename Op::Inputs&, const Upstream&, Wkv7CpuIsa);
};

template <typename Op>
void expect_every_isa_matches_oracle(const std::vector<typename Op::Shape>& shapes,
                                     const KernelPath<Op>& path) {
    int tested = 0;
    for (Wkv7CpuIsa isa : {Wkv7CpuIsa::kBaseline, Wkv7CpuIsa::kAvx2, Wkv7CpuIsa::kAvx512}) {
        if (!wkv7_cpu_isa_available(isa)) {
            continue;
        }
        ++tested;
        for (const auto& shape : shapes) {
            for (torch::ScalarType dtype : {torch::kFloat32, torch::kFloat64}) {
                SCOPED_TRACE(std::string(wkv7_cpu_isa_name(isa)) + " " + shape_name(shape) + " " +
                             c10::toString(dtype));
                const auto in = Op::make_inputs(shape, dtype, 77);
                const Upstream up = make_upstream(shape, 78);
                const OpRun ref = run_with_grads(Op::kReference, in.to(torch::kFloat64), up);
                const OpRun got = dtype == torch::kFloat32 ? path.run_float(in, up, isa)
                                                           : path.run_double(in, up, isa);
                expect_runs_close(ref, got, op_max_nmse<Op>(dtype));
            }
        }
    }
    EXPECT_GE(tested, 1);
    std::cout << "[ info ] best instruction set here: " << wkv7_cpu_isa_name(wkv7_cpu_best_isa())
              << ", tested " << tested << "\n";
}

template <typename Op>
bool register_kernel_suite(const std::string& name, const std::vector<typename Op::Shape>& shapes,
                           const KernelPath<Op>& path, const char* file) {
    register_test<RegisteredTest<Op>>(name, "EveryAvailableInstructionSetMatchesOracle", file,
                                      [=] { expect_every_isa_matches_oracle<Op>(shapes, path); });
    return true;
}

// --- argument checks: each bad call fails with a message naming what is wrong ---

template <typename Inputs>
struct BadCall {
    const char* what;
    std::function<void(Inputs&)> spoil;
    const char* expected_message;
};

template <typename Op>
void expect_rejected(const typename Op::Shape& valid, const BadCall<typename Op::Inputs>& call) {
    auto in = Op::make_inputs(valid, torch::kFloat32, 1);
    call.spoil(in);
    try {
        Op::bind(Op::kOp, in)(args_of(in));
        FAIL() << "expected an error";
    } catch (const c10::Error& e) {
        const std::string message = e.what_without_backtrace();
        EXPECT_NE(message.find(call.expected_message), std::string::npos) << message;
    }
}

// `valid`: the shape of the inputs each call spoils.
template <typename Op>
bool register_bad_calls(const std::string& name, const typename Op::Shape& valid,
                        const std::vector<BadCall<typename Op::Inputs>>& calls, const char* file) {
    for (const auto& call : calls) {
        register_test<RegisteredTest<Op>>("BadArguments/" + name,
                                          std::string("WithClearMessage/") + call.what, file,
                                          [=] { expect_rejected<Op>(valid, call); });
    }
    return true;
}

}  // namespace statetrack::kernels::testing
