// rwkv7_wkv_operands (model/rwkv7_wkv_operands.h): the CPU loops against the torch-ops
// reference, outputs and the gradient of every input, over each ablation switch that changes
// the formulas (decay clamp, diagonal transition, extended ICLR, value residual), in float32
// and float64; with some output gradients absent; with a head whose removal key is zero (the
// norm's ε clamp); and the bf16 fallback. The reference's own formulas are checked through the
// whole model against the float64 per-token reference (rwkv7_reference_test.cpp) and its
// gradients against finite differences (rwkv7_gradient_test.cpp).
#include "model/rwkv7_wkv_operands.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <string>
#include <vector>

#include "tests/testing/tensor_compare.h"

namespace statetrack::model {
namespace {

using statetrack::testing::tensors_close;
using OperandsFn = Rwkv7WkvOperands (*)(const Rwkv7OperandInputs&, const Rwkv7Config&);

Rwkv7Config config_with(bool clamp, bool diagonal, bool extended) {
    Rwkv7Config c;
    c.vocab_size = 5;
    c.n_layers = 1;
    c.d_model = 32;
    c.head_size = 16;
    c.decay_clamp = clamp;
    c.diagonal_transition = diagonal;
    c.extended_eigenvalues = extended;
    return resolve_rwkv7_config(c);
}

Rwkv7OperandInputs make_inputs(bool residual, torch::ScalarType dtype, uint64_t seed) {
    torch::manual_seed(seed);
    const auto act = [&] { return torch::randn({3, 7, 32}, dtype); };
    const auto par = [&] { return torch::randn({1, 1, 32}, dtype); };
    Rwkv7OperandInputs in{act(), act(), act(), act(), {}, {}, par(), par(), {}, par(), par()};
    if (residual) {
        in.v_lora = act();
        in.v_first = act();
        in.v0 = par();
    }
    return in;
}

std::vector<torch::Tensor*> fields(Rwkv7OperandInputs& in) {
    return {&in.k, &in.v, &in.d_lora, &in.a_lora, &in.v_lora, &in.v_first,
            &in.w0, &in.a0, &in.v0, &in.k_k, &in.k_a};
}

std::vector<torch::Tensor> outputs(const Rwkv7WkvOperands& o) {
    return {o.decay, o.k, o.v, o.a, o.b};
}

struct Result {
    std::vector<torch::Tensor> out, grads;
};

// Outputs, and gradients of Σ <out_i, g_i> over the outputs with a defined g_i.
Result run(OperandsFn fn, Rwkv7OperandInputs in, const Rwkv7Config& c,
           const std::vector<torch::Tensor>& g) {
    for (torch::Tensor* t : fields(in)) {
        if (t->defined()) {
            *t = t->detach().clone().requires_grad_(true);
        }
    }
    const std::vector<torch::Tensor> out = outputs(fn(in, c));
    torch::Tensor loss = torch::zeros({}, in.k.options());
    for (size_t i = 0; i < out.size(); ++i) {
        if (g[i].defined()) {
            loss = loss + (out[i] * g[i]).sum();
        }
    }
    loss.backward();
    Result r;
    for (const torch::Tensor& o : out) {
        r.out.push_back(o.detach());
    }
    for (torch::Tensor* t : fields(in)) {
        r.grads.push_back(!t->defined() ? torch::Tensor()
                          : t->grad().defined() ? t->grad() : torch::zeros_like(*t));
    }
    return r;
}

void expect_same(const Result& ref, const Result& got, double tol) {
    const char* out_names[] = {"decay", "k", "v", "a", "b"};
    for (size_t i = 0; i < ref.out.size(); ++i) {
        EXPECT_TRUE(tensors_close(ref.out[i], got.out[i], tol)) << out_names[i];
    }
    const char* in_names[] = {"k", "v", "d_lora", "a_lora", "v_lora", "v_first",
                              "w0", "a0", "v0", "k_k", "k_a"};
    for (size_t i = 0; i < ref.grads.size(); ++i) {
        ASSERT_EQ(ref.grads[i].defined(), got.grads[i].defined()) << in_names[i];
        if (ref.grads[i].defined()) {
            EXPECT_TRUE(tensors_close(ref.grads[i], got.grads[i], tol)) << "d" << in_names[i];
        }
    }
}

std::vector<torch::Tensor> upstream(const Rwkv7OperandInputs& in, uint64_t seed) {
    torch::manual_seed(seed);
    std::vector<torch::Tensor> g;
    for (int i = 0; i < 5; ++i) {
        g.push_back(torch::randn_like(in.k));
    }
    return g;
}

TEST(Rwkv7WkvOperands, LoopsMatchTheReferenceUnderEverySwitch) {
    for (auto dtype : {torch::kFloat64, torch::kFloat32}) {
        const double tol = dtype == torch::kFloat64 ? 1e-24 : 1e-10;
        for (int mask = 0; mask < 16; ++mask) {
            const bool clamp = mask & 1, diagonal = mask & 2, extended = mask & 4,
                       residual = mask & 8;
            SCOPED_TRACE(fmt::format("{} clamp={} diagonal={} extended={} residual={}",
                                     c10::toString(dtype), clamp, diagonal, extended, residual));
            const Rwkv7Config c = config_with(clamp, diagonal, extended);
            const Rwkv7OperandInputs in = make_inputs(residual, dtype, 10 + mask);
            const std::vector<torch::Tensor> g = upstream(in, 40 + mask);
            expect_same(run(rwkv7_wkv_operands_reference, in, c, g),
                        run(rwkv7_wkv_operands, in, c, g), tol);
        }
    }
}

TEST(Rwkv7WkvOperands, AbsentOutputGradientsCountAsZero) {
    const Rwkv7Config c = config_with(true, false, false);
    const Rwkv7OperandInputs in = make_inputs(true, torch::kFloat64, 3);
    for (int skip = 0; skip < 5; ++skip) {
        SCOPED_TRACE(skip);
        std::vector<torch::Tensor> g = upstream(in, 4);
        g[skip] = torch::Tensor();
        expect_same(run(rwkv7_wkv_operands_reference, in, c, g),
                    run(rwkv7_wkv_operands, in, c, g), 1e-24);
    }
}

TEST(Rwkv7WkvOperands, AZeroRemovalKeyTakesTheNormClamp) {
    const Rwkv7Config c = config_with(true, false, false);
    Rwkv7OperandInputs in = make_inputs(false, torch::kFloat64, 5);
    in.k_k.slice(2, 0, 16).zero_();  // head 0: u = k ⊙ k_k = 0, so ‖u‖ < ε
    const std::vector<torch::Tensor> g = upstream(in, 6);
    const Result got = run(rwkv7_wkv_operands, in, c, g);
    expect_same(run(rwkv7_wkv_operands_reference, in, c, g), got, 1e-24);
    EXPECT_TRUE(torch::equal(got.out[3].slice(2, 0, 16), torch::zeros({3, 7, 16}, torch::kFloat64)));
}

TEST(Rwkv7WkvOperands, Bfloat16ProjectionsTakeTheReferencePath) {
    const Rwkv7Config c = config_with(true, false, false);
    Rwkv7OperandInputs in = make_inputs(true, torch::kFloat32, 7);
    in.k = in.k.to(torch::kBFloat16);  // as under autocast: projections bf16, parameters fp32
    in.v = in.v.to(torch::kBFloat16);
    const Rwkv7WkvOperands got = rwkv7_wkv_operands(in, c);
    const Rwkv7WkvOperands ref = rwkv7_wkv_operands_reference(in, c);
    EXPECT_TRUE(torch::equal(got.k, ref.k));
    EXPECT_TRUE(torch::equal(got.b, ref.b));
}

TEST(Rwkv7WkvOperands, RejectsInputsThatDoNotFitTheConfig) {
    const Rwkv7Config c = config_with(true, false, false);
    const auto message = [&](Rwkv7OperandInputs in) {
        try {
            rwkv7_wkv_operands(in, c);
        } catch (const c10::Error& e) {
            return std::string(e.what_without_backtrace());
        }
        return std::string("no error");
    };
    Rwkv7OperandInputs in = make_inputs(true, torch::kFloat32, 8);
    in.a_lora = in.a_lora.slice(1, 0, 3);
    EXPECT_NE(message(in).find("shaped like k"), std::string::npos) << message(in);
    in = make_inputs(true, torch::kFloat32, 8);
    in.v0 = torch::Tensor();
    EXPECT_NE(message(in).find("come together"), std::string::npos) << message(in);
    in = make_inputs(false, torch::kFloat32, 8);
    in.k_a = torch::zeros({1, 1, 16});
    EXPECT_NE(message(in).find("d_model = 32"), std::string::npos) << message(in);
}

}  // namespace
}  // namespace statetrack::model
