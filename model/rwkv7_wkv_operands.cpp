// rwkv7_wkv_operands (see rwkv7_wkv_operands.h): the torch-ops reference and the autograd
// Function over the CPU loops.
#include "model/rwkv7_wkv_operands.h"

#include <vector>

#include "kernels/autograd_inputs.h"
#include "model/rwkv7_wkv_operands_cpu.h"

namespace statetrack::model {
namespace {

namespace F = torch::nn::functional;
using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

constexpr double kDecayScale = 0.6065306597126334;  // e^{-0.5}

// The defined inputs in a fixed order: k, v, d_lora, a_lora, w0, a0, k_k, k_a, then v_lora,
// v_first, v0 with the value residual. The Function's arguments and gradients follow it
// (autograd takes no undefined tensors in a TensorList).
std::vector<torch::Tensor> as_list(const Rwkv7OperandInputs& in) {
    std::vector<torch::Tensor> x{in.k, in.v, in.d_lora, in.a_lora, in.w0, in.a0, in.k_k, in.k_a};
    if (in.v_lora.defined()) {
        x.insert(x.end(), {in.v_lora, in.v_first, in.v0});
    }
    return x;
}

Rwkv7OperandsShape shape_of(const torch::Tensor& k, const Rwkv7Config& c) {
    return {k.numel() / c.d_model, c.n_heads(), c.head_size, c.extended_eigenvalues ? 2.0 : 1.0,
            c.decay_clamp, c.diagonal_transition};
}

template <typename T>
T* mut(const torch::Tensor& t) {
    return t.defined() ? t.data_ptr<T>() : nullptr;
}

// Pointers into the contiguous tensors of as_list (or their gradients), of element type T.
template <typename T, typename Ptrs>
Ptrs pointers(const std::vector<torch::Tensor>& x) {
    const bool residual = x.size() > 8;
    const auto at = [&](size_t i) { return i < x.size() ? mut<T>(x[i]) : nullptr; };
    Ptrs p;
    p.k = at(0), p.v = at(1), p.d_lora = at(2), p.a_lora = at(3);
    p.w0 = at(4), p.a0 = at(5), p.k_k = at(6), p.k_a = at(7);
    if (residual) {
        p.v_lora = at(8), p.v_first = at(9), p.v0 = at(10);
    }
    return p;
}

variable_list forward_loops(const std::vector<torch::Tensor>& x, const Rwkv7OperandsShape& s) {
    variable_list out;
    for (int i = 0; i < 5; ++i) {
        out.push_back(torch::empty_like(x[0]));
    }
    AT_DISPATCH_FLOATING_TYPES(x[0].scalar_type(), "rwkv7_wkv_operands", [&] {
        rwkv7_operands_forward_cpu<scalar_t>(
            s, pointers<scalar_t, Rwkv7OperandsIn<scalar_t>>(x),
            {mut<scalar_t>(out[0]), mut<scalar_t>(out[1]), mut<scalar_t>(out[2]),
             mut<scalar_t>(out[3]), mut<scalar_t>(out[4])});
    });
    return out;
}

std::vector<torch::Tensor> contiguous(const std::vector<torch::Tensor>& x) {
    std::vector<torch::Tensor> out;
    for (const torch::Tensor& t : x) {
        out.push_back(t.defined() ? t.contiguous() : t);
    }
    return out;
}

class Rwkv7OperandsFunction : public torch::autograd::Function<Rwkv7OperandsFunction> {
  public:
    // inputs: the tensors of as_list (a TensorList, so that apply() tracks each of them).
    static variable_list forward(AutogradContext* ctx, at::TensorList inputs,
                                 const Rwkv7OperandsShape& s) {
        const std::vector<torch::Tensor> x = contiguous(inputs.vec());
        ctx->save_for_backward(x);
        ctx->saved_data["rows"] = s.rows;
        ctx->saved_data["heads"] = s.heads;
        ctx->saved_data["head_size"] = s.head_size;
        ctx->saved_data["iclr_scale"] = s.iclr_scale;
        ctx->saved_data["decay_clamp"] = s.decay_clamp;
        ctx->saved_data["diagonal"] = s.diagonal;
        ctx->set_materialize_grads(false);  // a zero output gradient stays undefined
        return forward_loops(x, s);
    }

    static variable_list backward(AutogradContext* ctx, variable_list grad_out) {
        TORCH_CHECK(!torch::GradMode::is_enabled(),
                    "rwkv7_wkv_operands: double backward (create_graph=true) is not supported");
        const variable_list x = ctx->get_saved_variables();
        const auto& d = ctx->saved_data;
        const Rwkv7OperandsShape s{d.at("rows").toInt(),         d.at("heads").toInt(),
                                   d.at("head_size").toInt(),    d.at("iclr_scale").toDouble(),
                                   d.at("decay_clamp").toBool(), d.at("diagonal").toBool()};
        std::vector<torch::Tensor> g;  // the loops take every gradient: zeros for absent ones
        for (const torch::Tensor& t : grad_out) {
            g.push_back(t.defined() ? t.contiguous() : torch::zeros_like(x[0]));
        }
        variable_list dx;
        for (const torch::Tensor& t : x) {
            dx.push_back(torch::empty_like(t));
        }
        AT_DISPATCH_FLOATING_TYPES(x[0].scalar_type(), "rwkv7_wkv_operands_backward", [&] {
            using T = scalar_t;
            rwkv7_operands_backward_cpu<T>(
                s, pointers<T, Rwkv7OperandsIn<T>>(x),
                {mut<T>(g[0]), mut<T>(g[1]), mut<T>(g[2]), mut<T>(g[3]), mut<T>(g[4])},
                pointers<T, Rwkv7OperandsGrad<T>>(dx));
        });
        dx.push_back(torch::Tensor());  // the shape argument
        return dx;
    }
};

void check_inputs(const Rwkv7OperandInputs& in, const Rwkv7Config& c) {
    TORCH_CHECK(in.k.dim() == 3 && in.k.size(2) == c.d_model,
                "rwkv7_wkv_operands: k must be (B,T,", c.d_model, "), got ", in.k.sizes());
    const bool residual = in.v_lora.defined();
    TORCH_CHECK(in.v_first.defined() == residual && in.v0.defined() == residual,
                "rwkv7_wkv_operands: v_lora, v_first and v0 come together or not at all");
    for (const torch::Tensor* t : {&in.v, &in.d_lora, &in.a_lora, &in.v_lora, &in.v_first}) {
        TORCH_CHECK(!t->defined() || t->sizes() == in.k.sizes(),
                    "rwkv7_wkv_operands: every activation must be shaped like k ", in.k.sizes(),
                    ", got ", t->sizes());
    }
    for (const torch::Tensor* t : {&in.w0, &in.a0, &in.v0, &in.k_k, &in.k_a}) {
        TORCH_CHECK(!t->defined() || t->numel() == c.d_model,
                    "rwkv7_wkv_operands: parameters must have d_model = ", c.d_model,
                    " entries, got ", t->sizes());
    }
}

}  // namespace

Rwkv7WkvOperands rwkv7_wkv_operands_reference(const Rwkv7OperandInputs& in,
                                              const Rwkv7Config& c) {
    check_inputs(in, c);
    const int64_t B = in.k.size(0), T = in.k.size(1);
    const auto heads = [&](const torch::Tensor& t) { return t.view({B, T, c.n_heads(), c.head_size}); };
    Rwkv7WkvOperands out;
    const double iclr_scale = c.extended_eigenvalues ? 2.0 : 1.0;
    const torch::Tensor iclr = iclr_scale * torch::sigmoid(in.a0 + in.a_lora);
    const torch::Tensor d = in.w0 + in.d_lora;
    out.decay = c.decay_clamp ? torch::exp(-kDecayScale * torch::sigmoid(d))  // (0.545, 1)
                              : torch::exp(-torch::exp(d - 0.5));             // (0, 1)
    out.k = in.k * (1 + (iclr - 1) * in.k_a);  // replacement key k̃ = k ⊙ lerp(1, a, α)
    out.v = in.v_lora.defined()
                ? in.v + (in.v_first - in.v) * torch::sigmoid(in.v0 + in.v_lora)
                : in.v;
    const torch::Tensor kk =
        F::normalize(heads(in.k * in.k_k), F::NormalizeFuncOptions().p(2).dim(-1).eps(1e-12))
            .view_as(in.k);
    out.a = c.diagonal_transition ? torch::zeros_like(kk) : -kk;
    out.b = c.diagonal_transition ? torch::zeros_like(kk) : kk * iclr;
    return out;
}

Rwkv7WkvOperands rwkv7_wkv_operands(const Rwkv7OperandInputs& in, const Rwkv7Config& config) {
    check_inputs(in, config);
    const std::vector<torch::Tensor> x = as_list(in);
    if (!kernels::takes_cpu_loops(x)) {
        return rwkv7_wkv_operands_reference(in, config);
    }
    bool needs_grad = false;
    for (const torch::Tensor& t : x) {
        needs_grad = needs_grad || (t.defined() && t.requires_grad());
    }
    const Rwkv7OperandsShape s = shape_of(in.k, config);
    const variable_list out = torch::GradMode::is_enabled() && needs_grad
                                  ? Rwkv7OperandsFunction::apply(at::TensorList(x), s)
                                  : forward_loops(contiguous(x), s);
    return {out[0], out[1], out[2], out[3], out[4]};
}

}  // namespace statetrack::model
