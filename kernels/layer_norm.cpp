// layer_norm (see layer_norm.h): the autograd Function over the CPU loops.
#include "kernels/layer_norm.h"

#include "kernels/autograd_inputs.h"
#include "kernels/layer_norm_cpu.h"

namespace statetrack::kernels {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

LayerNormShape shape_of(const torch::Tensor& x, double eps) {
    const int64_t C = x.size(-1);
    return {C == 0 ? 0 : x.numel() / C, C, eps};
}

// All contiguous; returns (out, stats).
std::pair<torch::Tensor, torch::Tensor> forward_loops(const torch::Tensor& x,
                                                      const torch::Tensor& weight,
                                                      const torch::Tensor& bias, double eps) {
    const LayerNormShape s = shape_of(x, eps);
    torch::Tensor out = torch::empty_like(x);
    torch::Tensor stats = torch::empty({s.rows, 2}, x.options());
    AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "layer_norm", [&] {
        layer_norm_forward_cpu(s, x.data_ptr<scalar_t>(), weight.data_ptr<scalar_t>(),
                               bias.data_ptr<scalar_t>(), out.data_ptr<scalar_t>(),
                               stats.data_ptr<scalar_t>());
    });
    return {out, stats};
}

class LayerNormFunction : public torch::autograd::Function<LayerNormFunction> {
  public:
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x,
                                 const torch::Tensor& weight, const torch::Tensor& bias,
                                 double eps) {
        const torch::Tensor xc = x.contiguous(), wc = weight.contiguous();
        auto [out, stats] = forward_loops(xc, wc, bias.contiguous(), eps);
        ctx->save_for_backward({xc, wc, stats});
        ctx->saved_data["eps"] = eps;
        return out;
    }

    static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
        TORCH_CHECK(!torch::GradMode::is_enabled(),
                    "layer_norm: double backward (create_graph=true) is not supported");
        const variable_list saved = ctx->get_saved_variables();
        const torch::Tensor &x = saved[0], &weight = saved[1], &stats = saved[2];
        const torch::Tensor dout = grad_outputs[0].contiguous();
        torch::Tensor dx = torch::empty_like(x), dweight = torch::empty_like(weight);
        torch::Tensor dbias = torch::empty_like(weight);
        const LayerNormShape s = shape_of(x, ctx->saved_data["eps"].toDouble());
        AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "layer_norm_backward", [&] {
            layer_norm_backward_cpu(s, x.data_ptr<scalar_t>(), weight.data_ptr<scalar_t>(),
                                    stats.data_ptr<scalar_t>(), dout.data_ptr<scalar_t>(),
                                    dx.data_ptr<scalar_t>(), dweight.data_ptr<scalar_t>(),
                                    dbias.data_ptr<scalar_t>());
        });
        return {dx, dweight, dbias, torch::Tensor()};
    }
};

}  // namespace

torch::Tensor layer_norm(const torch::Tensor& x, const torch::Tensor& weight,
                         const torch::Tensor& bias, double eps) {
    TORCH_CHECK(x.dim() >= 1 && weight.dim() == 1 && bias.dim() == 1 &&
                    weight.size(0) == x.size(-1) && bias.size(0) == x.size(-1),
                "layer_norm: weight and bias must be (C) for x (..., C), got x ", x.sizes(),
                ", weight ", weight.sizes(), ", bias ", bias.sizes());
    if (!takes_cpu_loops({x, weight, bias})) {
        return torch::layer_norm(x, {x.size(-1)}, weight, bias, eps);
    }
    const bool needs_grad = x.requires_grad() || weight.requires_grad() || bias.requires_grad();
    if (torch::GradMode::is_enabled() && needs_grad) {
        return LayerNormFunction::apply(x, weight, bias, eps);
    }
    return forward_loops(x.contiguous(), weight.contiguous(), bias.contiguous(), eps).first;
}

}  // namespace statetrack::kernels
