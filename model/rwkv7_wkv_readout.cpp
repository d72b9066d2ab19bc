// rwkv7_wkv_readout (see rwkv7_wkv_readout.h): the torch-ops reference and the autograd Function
// over the CPU loops.
#include "model/rwkv7_wkv_readout.h"

#include <vector>

#include "kernels/autograd_inputs.h"
#include "model/rwkv7_wkv_readout_cpu.h"

namespace statetrack::model {
namespace {

namespace F = torch::nn::functional;
using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// The defined inputs in a fixed order: y, v, gate, weight, bias, then r, k, r_k with the bonus.
// The Function's arguments and gradients follow it.
std::vector<torch::Tensor> as_list(const Rwkv7ReadoutInputs& in) {
    std::vector<torch::Tensor> x{in.y, in.v, in.gate, in.weight, in.bias};
    if (in.r_k.defined()) {
        x.insert(x.end(), {in.r, in.k, in.r_k});
    }
    return x;
}

template <typename T>
T* ptr(const std::vector<torch::Tensor>& x, size_t i) {
    return i < x.size() ? x[i].data_ptr<T>() : nullptr;
}

template <typename T>
Rwkv7ReadoutIn<T> in_pointers(const std::vector<torch::Tensor>& x) {
    return {ptr<T>(x, 0), ptr<T>(x, 5), ptr<T>(x, 6), ptr<T>(x, 1),
            ptr<T>(x, 2), ptr<T>(x, 3), ptr<T>(x, 4), ptr<T>(x, 7)};
}

template <typename T>
Rwkv7ReadoutGrad<T> grad_pointers(const std::vector<torch::Tensor>& x) {
    return {ptr<T>(x, 0), ptr<T>(x, 5), ptr<T>(x, 6), ptr<T>(x, 1),
            ptr<T>(x, 2), ptr<T>(x, 3), ptr<T>(x, 4), ptr<T>(x, 7)};
}

// x contiguous; returns (out, stats).
std::pair<torch::Tensor, torch::Tensor> forward_loops(const std::vector<torch::Tensor>& x,
                                                      const Rwkv7ReadoutShape& s) {
    torch::Tensor out = torch::empty_like(x[0]);
    torch::Tensor stats = torch::empty({s.rows, s.heads, 2}, x[0].options());
    AT_DISPATCH_FLOATING_TYPES(x[0].scalar_type(), "rwkv7_wkv_readout", [&] {
        rwkv7_readout_forward_cpu<scalar_t>(s, in_pointers<scalar_t>(x), out.data_ptr<scalar_t>(),
                                            stats.data_ptr<scalar_t>());
    });
    return {out, stats};
}

std::vector<torch::Tensor> contiguous(const std::vector<torch::Tensor>& x) {
    std::vector<torch::Tensor> out;
    for (const torch::Tensor& t : x) {
        out.push_back(t.contiguous());
    }
    return out;
}

class Rwkv7ReadoutFunction : public torch::autograd::Function<Rwkv7ReadoutFunction> {
  public:
    // inputs: the tensors of as_list (a TensorList, so that apply() tracks each of them).
    static variable_list forward(AutogradContext* ctx, at::TensorList inputs,
                                 const Rwkv7ReadoutShape& s) {
        std::vector<torch::Tensor> x = contiguous(inputs.vec());
        auto [out, stats] = forward_loops(x, s);
        x.push_back(stats);
        ctx->save_for_backward(x);
        ctx->saved_data["heads"] = s.heads;
        ctx->saved_data["eps"] = s.eps;
        ctx->set_materialize_grads(false);
        return {out};
    }

    static variable_list backward(AutogradContext* ctx, variable_list grad_out) {
        TORCH_CHECK(!torch::GradMode::is_enabled(),
                    "rwkv7_wkv_readout: double backward (create_graph=true) is not supported");
        variable_list x = ctx->get_saved_variables();
        const torch::Tensor stats = x.back();
        x.pop_back();
        if (!grad_out[0].defined()) {
            return variable_list(x.size() + 1);  // + the shape argument
        }
        const torch::Tensor dout = grad_out[0].contiguous();
        variable_list dx;
        for (const torch::Tensor& t : x) {
            dx.push_back(torch::empty_like(t));
        }
        const int64_t heads = ctx->saved_data["heads"].toInt();
        const Rwkv7ReadoutShape s{stats.size(0), heads, x[0].size(-1) / heads,
                                  ctx->saved_data["eps"].toDouble()};
        AT_DISPATCH_FLOATING_TYPES(x[0].scalar_type(), "rwkv7_wkv_readout_backward", [&] {
            using T = scalar_t;
            rwkv7_readout_backward_cpu<T>(s, in_pointers<T>(x), stats.data_ptr<T>(),
                                          dout.data_ptr<T>(), grad_pointers<T>(dx));
        });
        dx.push_back(torch::Tensor());  // the shape argument
        return dx;
    }
};

void check_inputs(const Rwkv7ReadoutInputs& in, int64_t heads) {
    TORCH_CHECK(in.y.dim() == 3 && heads > 0 && in.y.size(2) % heads == 0,
                "rwkv7_wkv_readout: y must be (B,T,C) with C a multiple of ", heads,
                " heads, got ", in.y.sizes());
    const bool bonus = in.r_k.defined();
    std::vector<const torch::Tensor*> acts{&in.v, &in.gate};
    if (bonus) {
        acts.insert(acts.end(), {&in.r, &in.k});
    }
    for (const torch::Tensor* t : acts) {
        TORCH_CHECK(t->defined() && t->sizes() == in.y.sizes(),
                    "rwkv7_wkv_readout: every activation must be shaped like y ", in.y.sizes(),
                    ", got ", t->defined() ? t->sizes() : at::IntArrayRef{});
    }
    const int64_t C = in.y.size(2);
    for (const torch::Tensor* t : {&in.weight, &in.bias, &in.r_k}) {
        TORCH_CHECK(t == &in.r_k ? (!bonus || t->numel() == C) : (t->defined() && t->numel() == C),
                    "rwkv7_wkv_readout: parameters must have C = ", C, " entries");
    }
}

}  // namespace

torch::Tensor rwkv7_wkv_readout_reference(const Rwkv7ReadoutInputs& in, int64_t heads,
                                          double eps) {
    check_inputs(in, heads);
    const int64_t B = in.y.size(0), T = in.y.size(1), C = in.y.size(2);
    torch::Tensor out =
        F::group_norm(in.y.reshape({B * T, C}),
                      F::GroupNormFuncOptions(heads).weight(in.weight).bias(in.bias).eps(eps))
            .view({B, T, C});
    if (in.r_k.defined()) {
        const auto per_head = [&](const torch::Tensor& t) { return t.view({B, T, heads, C / heads}); };
        out = out + ((per_head(in.r) * per_head(in.k) * in.r_k.view({heads, C / heads}))
                         .sum(-1, /*keepdim=*/true) *
                     per_head(in.v))
                        .view({B, T, C});
    }
    return out * in.gate;
}

torch::Tensor rwkv7_wkv_readout(const Rwkv7ReadoutInputs& in, int64_t heads, double eps) {
    check_inputs(in, heads);
    const std::vector<torch::Tensor> x = as_list(in);
    if (!kernels::takes_cpu_loops(x)) {
        return rwkv7_wkv_readout_reference(in, heads, eps);
    }
    bool needs_grad = false;
    for (const torch::Tensor& t : x) {
        needs_grad = needs_grad || t.requires_grad();
    }
    const Rwkv7ReadoutShape s{in.y.numel() / in.y.size(2), heads, in.y.size(2) / heads, eps};
    if (torch::GradMode::is_enabled() && needs_grad) {
        return Rwkv7ReadoutFunction::apply(at::TensorList(x), s)[0];
    }
    return forward_loops(contiguous(x), s).first;
}

}  // namespace statetrack::model
