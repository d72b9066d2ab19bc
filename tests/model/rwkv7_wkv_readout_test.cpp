// rwkv7_wkv_readout (model/rwkv7_wkv_readout.h): the CPU loops against the torch-ops reference
// (LibTorch's group norm and elementwise ops), output and the gradient of every input, with and
// without the bonus, in float32 and float64, at a head size that is not a multiple of the loops'
// eight partial sums and over more rows than one block of parameter-gradient sums; a head of
// constant y (variance 0, the ε term alone); an absent output gradient; the bf16 fallback; and
// shapes that do not fit.
#include "model/rwkv7_wkv_readout.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <string>
#include <vector>

#include "tests/testing/tensor_compare.h"

namespace statetrack::model {
namespace {

using statetrack::testing::tensors_close;
using ReadoutFn = torch::Tensor (*)(const Rwkv7ReadoutInputs&, int64_t, double);
constexpr double kEps = 64e-5;

struct Shape {
    int64_t B, T, H, N;
};

Rwkv7ReadoutInputs make_inputs(const Shape& s, bool bonus, torch::ScalarType dtype, uint64_t seed) {
    torch::manual_seed(seed);
    const auto act = [&] { return torch::randn({s.B, s.T, s.H * s.N}, dtype); };
    Rwkv7ReadoutInputs in;
    in.y = act() * 3 + 1;  // off-centre and wider than 1, so that mean and rstd matter
    in.v = act();
    in.gate = act();
    in.weight = torch::randn({s.H * s.N}, dtype);
    in.bias = torch::randn({s.H * s.N}, dtype);
    if (bonus) {
        in.r = act();
        in.k = act();
        in.r_k = torch::randn({s.H, s.N}, dtype);
    }
    return in;
}

std::vector<torch::Tensor*> fields(Rwkv7ReadoutInputs& in) {
    return {&in.y, &in.r, &in.k, &in.v, &in.gate, &in.weight, &in.bias, &in.r_k};
}

struct Result {
    torch::Tensor out;
    std::vector<torch::Tensor> grads;
};

// Output, and the gradients of <out, g> for every defined input.
Result run(ReadoutFn fn, Rwkv7ReadoutInputs in, int64_t heads, const torch::Tensor& g) {
    for (torch::Tensor* t : fields(in)) {
        if (t->defined()) {
            *t = t->detach().clone().requires_grad_(true);
        }
    }
    const torch::Tensor out = fn(in, heads, kEps);
    (out * g).sum().backward();
    Result r{out.detach(), {}};
    for (torch::Tensor* t : fields(in)) {
        // Without the bonus the reference leaves v unused (no gradient), the loops give zeros.
        const bool unused = t->defined() && !t->grad().defined();
        r.grads.push_back(unused ? torch::zeros_like(*t) : t->defined() ? t->grad() : torch::Tensor());
    }
    return r;
}

void expect_same(const Result& ref, const Result& got, double tol) {
    EXPECT_TRUE(tensors_close(ref.out, got.out, tol)) << "out";
    const char* names[] = {"y", "r", "k", "v", "gate", "weight", "bias", "r_k"};
    for (size_t i = 0; i < ref.grads.size(); ++i) {
        EXPECT_EQ(ref.grads[i].defined(), got.grads[i].defined()) << names[i];
        if (ref.grads[i].defined()) {
            EXPECT_TRUE(tensors_close(ref.grads[i], got.grads[i], tol)) << "d" << names[i];
        }
    }
}

TEST(Rwkv7WkvReadout, LoopsMatchTheReferenceWithGradients) {
    // 90 rows span two blocks of parameter-gradient sums (64); N = 12 leaves a remainder after
    // the eight partial sums.
    for (const Shape& s : {Shape{3, 30, 3, 16}, Shape{2, 5, 2, 12}}) {
        for (bool bonus : {true, false}) {
            for (auto dtype : {torch::kFloat32, torch::kFloat64}) {
                SCOPED_TRACE(std::string(c10::toString(dtype)) + " N=" + std::to_string(s.N) +
                             (bonus ? " bonus" : " no bonus"));
                const Rwkv7ReadoutInputs in = make_inputs(s, bonus, dtype, 7);
                const torch::Tensor g = torch::randn({s.B, s.T, s.H * s.N}, dtype);
                const double tol = dtype == torch::kFloat64 ? 1e-24 : 1e-10;
                expect_same(run(rwkv7_wkv_readout_reference, in, s.H, g),
                            run(rwkv7_wkv_readout, in, s.H, g), tol);
            }
        }
    }
}

TEST(Rwkv7WkvReadout, ConstantHeadNormalisesToTheBias) {
    const Shape s{2, 4, 2, 16};
    Rwkv7ReadoutInputs in = make_inputs(s, true, torch::kFloat64, 3);
    in.y.select(2, 0).fill_(2.5);  // channel 0 only: head 0 still varies elsewhere
    in.y.narrow(2, s.N, s.N).fill_(-4.0);  // head 1 constant: ŷ = 0
    const torch::Tensor g = torch::randn({s.B, s.T, s.H * s.N}, torch::kFloat64);
    const Result ref = run(rwkv7_wkv_readout_reference, in, s.H, g);
    const Result got = run(rwkv7_wkv_readout, in, s.H, g);
    expect_same(ref, got, 1e-24);
    Rwkv7ReadoutInputs no_bonus = in;
    no_bonus.r_k = torch::zeros_like(in.r_k);
    const torch::Tensor out = rwkv7_wkv_readout(no_bonus, s.H, kEps).narrow(2, s.N, s.N);
    EXPECT_TRUE(torch::allclose(out, in.bias.narrow(0, s.N, s.N) * in.gate.narrow(2, s.N, s.N)));
}

TEST(Rwkv7WkvReadout, AbsentOutputGradientGivesNone) {
    Rwkv7ReadoutInputs in = make_inputs({1, 3, 2, 16}, true, torch::kFloat32, 5);
    in.y.requires_grad_(true);
    const torch::Tensor out = rwkv7_wkv_readout(in, 2, kEps);
    const auto grads = torch::autograd::grad({out.sum() * 0 + in.y.sum()}, {in.y});
    EXPECT_TRUE(torch::equal(grads[0], torch::ones_like(in.y)));
}

TEST(Rwkv7WkvReadout, Bf16RunsTheReference) {
    const Rwkv7ReadoutInputs in = make_inputs({2, 3, 2, 16}, true, torch::kFloat32, 9);
    Rwkv7ReadoutInputs half = in;
    for (torch::Tensor* t : {&half.r, &half.k, &half.v, &half.gate}) {
        *t = t->to(torch::kBFloat16);
    }
    EXPECT_TRUE(torch::equal(rwkv7_wkv_readout(half, 2, kEps),
                             rwkv7_wkv_readout_reference(half, 2, kEps)));
}

TEST(Rwkv7WkvReadout, RejectsShapesThatDoNotFit) {
    const Rwkv7ReadoutInputs in = make_inputs({2, 3, 2, 16}, true, torch::kFloat32, 11);
    const auto message = [](const Rwkv7ReadoutInputs& bad, int64_t heads) {
        try {
            rwkv7_wkv_readout(bad, heads, kEps);
        } catch (const c10::Error& e) {
            return std::string(e.what_without_backtrace());
        }
        return std::string("no error");
    };
    EXPECT_NE(message(in, 3).find("multiple of 3 heads"), std::string::npos);
    Rwkv7ReadoutInputs bad = in;
    bad.gate = bad.gate.slice(1, 0, 2);
    EXPECT_NE(message(bad, 2).find("shaped like y"), std::string::npos);
    bad = in;
    bad.weight = torch::ones({5});
    EXPECT_NE(message(bad, 2).find("parameters must have C = 32"), std::string::npos);
}

}  // namespace
}  // namespace statetrack::model
