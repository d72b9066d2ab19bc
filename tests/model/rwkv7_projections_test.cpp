// rwkv7_projections (model/rwkv7_projections.h) against its torch-ops reference: the outputs
// and the gradient of every input, with and without the value residual, in float32 (through
// the small-GEMM kernel where the CPU has AVX2 or AVX-512) and float64 (at::mm: bit for bit), with
// some output gradients absent, and the no-gradient forward. The reference's formulas are
// checked through the whole model against the float64 per-token reference
// (rwkv7_reference_test.cpp) and its gradients against finite differences
// (rwkv7_gradient_test.cpp).
#include "model/rwkv7_projections.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <vector>

#include "tests/testing/tensor_compare.h"

namespace statetrack::model {
namespace {

using statetrack::testing::tensors_close;
using ProjectionsFn = Rwkv7Projections (*)(const Rwkv7ProjectionInputs&);

constexpr int64_t C = 64, D = 32;

Rwkv7ProjectionInputs make_inputs(bool residual, torch::ScalarType dtype, uint64_t seed) {
    torch::manual_seed(seed);
    const auto act = [&] { return torch::randn({3, 13, C}, dtype); };
    const auto mat = [&](int64_t r, int64_t c) { return torch::randn({r, c}, dtype) * 0.2; };
    Rwkv7ProjectionInputs in;
    in.xr = act(), in.xw = act(), in.xk = act(), in.xv = act(), in.xa = act(), in.xg = act();
    in.w_r = mat(C, C), in.w_k = mat(C, C), in.w_v = mat(C, C);
    in.w1 = mat(C, D), in.w2 = mat(D, C), in.a1 = mat(C, D), in.a2 = mat(D, C);
    in.g1 = mat(C, D), in.g2 = mat(D, C);
    if (residual) {
        in.v1 = mat(C, D), in.v2 = mat(D, C);
    }
    return in;
}

std::vector<torch::Tensor*> fields(Rwkv7ProjectionInputs& in) {
    return {&in.xr, &in.xw, &in.xk, &in.xv, &in.xa, &in.xg, &in.w_r, &in.w_k, &in.w_v,
            &in.w1, &in.w2, &in.a1, &in.a2, &in.v1, &in.v2, &in.g1,  &in.g2};
}

std::vector<torch::Tensor> outputs(const Rwkv7Projections& p) {
    return {p.r, p.k, p.v, p.d_lora, p.a_lora, p.v_lora, p.gate};
}

struct Result {
    std::vector<torch::Tensor> out, grads;
};

// Outputs and the gradient of Σ_o Σ out_o · g_o for every input; outputs listed in `skip` get
// no gradient.
Result run(ProjectionsFn fn, Rwkv7ProjectionInputs in, const std::vector<size_t>& skip = {}) {
    for (torch::Tensor* t : fields(in)) {
        if (t->defined()) {
            *t = t->detach().clone().requires_grad_(true);
        }
    }
    const std::vector<torch::Tensor> out = outputs(fn(in));
    torch::manual_seed(99);
    torch::Tensor loss = torch::zeros({}, out[0].options());
    for (size_t i = 0; i < out.size(); ++i) {
        const torch::Tensor g = torch::randn_like(out[0]);
        if (out[i].defined() && std::find(skip.begin(), skip.end(), i) == skip.end()) {
            loss = loss + (out[i] * g).sum();
        }
    }
    loss.backward();
    Result r;
    for (const torch::Tensor& t : out) {
        r.out.push_back(t.defined() ? t.detach() : t);
    }
    for (torch::Tensor* t : fields(in)) {
        r.grads.push_back(t->defined() ? t->grad() : torch::Tensor());
    }
    return r;
}

void expect_same(const Result& ref, const Result& got, double tol) {
    ASSERT_EQ(ref.out.size(), got.out.size());
    for (size_t i = 0; i < ref.out.size(); ++i) {
        ASSERT_EQ(ref.out[i].defined(), got.out[i].defined()) << "output " << i;
        if (ref.out[i].defined()) {
            EXPECT_TRUE(tensors_close(ref.out[i], got.out[i], tol)) << "output " << i;
        }
    }
    for (size_t i = 0; i < ref.grads.size(); ++i) {
        ASSERT_EQ(ref.grads[i].defined(), got.grads[i].defined()) << "gradient of input " << i;
        if (ref.grads[i].defined()) {
            EXPECT_TRUE(tensors_close(ref.grads[i], got.grads[i], tol))
                << "gradient of input " << i;
        }
    }
}

TEST(Rwkv7Projections, MatchesTheReferenceOutputsAndGradients) {
    for (bool residual : {false, true}) {
        for (auto dtype : {torch::kFloat32, torch::kFloat64}) {
            SCOPED_TRACE(::testing::Message()
                         << "residual " << residual << " " << c10::toString(dtype));
            const Rwkv7ProjectionInputs in = make_inputs(residual, dtype, 21);
            const Result ref = run(rwkv7_projections_reference, in);
            const Result got = run(rwkv7_projections, in);
            // float32: the kernel's sums against OpenBLAS's (measured ~1e-15 NMSE).
            expect_same(ref, got, dtype == torch::kFloat32 ? 1e-12 : 0.0);
        }
    }
}

TEST(Rwkv7Projections, OutputsWithoutGradientContributeNothing) {
    // The gate and the decay LoRA get no gradient: their weights get none, their mixes none.
    const Rwkv7ProjectionInputs in = make_inputs(true, torch::kFloat64, 22);
    const Result ref = run(rwkv7_projections_reference, in, {3, 6});
    Result got = run(rwkv7_projections, in, {3, 6});
    for (size_t i : {1, 5, 9, 10, 15, 16}) {  // xw, xg, w1, w2, g1, g2
        EXPECT_FALSE(got.grads[i].defined() && got.grads[i].abs().max().item<double>() > 0)
            << "input " << i;
        got.grads[i] = ref.grads[i];  // the reference yields zeros here, the op nothing
    }
    expect_same(ref, got, 0.0);
}

TEST(Rwkv7Projections, ForwardWithoutGradientMatches) {
    const Rwkv7ProjectionInputs in = make_inputs(true, torch::kFloat32, 23);
    torch::NoGradGuard no_grad;
    const std::vector<torch::Tensor> ref = outputs(rwkv7_projections_reference(in));
    const std::vector<torch::Tensor> got = outputs(rwkv7_projections(in));
    for (size_t i = 0; i < ref.size(); ++i) {
        EXPECT_TRUE(tensors_close(ref[i], got[i], 1e-12)) << "output " << i;
    }
}

}  // namespace
}  // namespace statetrack::model
