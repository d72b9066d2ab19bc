// rms_norm (see rms_norm.h): the autograd Function over the CPU loops.
#include "kernels/rms_norm.h"

#include "kernels/autograd_inputs.h"
#include "kernels/rms_norm_cpu.h"

namespace statetrack::kernels {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

RmsNormShape shape_of(const torch::Tensor& x, double eps) {
    const int64_t C = x.size(-1);
    return {C == 0 ? 0 : x.numel() / C, C, eps};
}

// All contiguous; returns (out, rstd).
std::pair<torch::Tensor, torch::Tensor> forward_loops(const torch::Tensor& x,
                                                      const torch::Tensor& weight, double eps) {
    const RmsNormShape s = shape_of(x, eps);
    torch::Tensor out = torch::empty_like(x);
    torch::Tensor rstd = torch::empty({s.rows}, x.options());
    AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "rms_norm", [&] {
        rms_norm_forward_cpu(s, x.data_ptr<scalar_t>(), weight.data_ptr<scalar_t>(),
                             out.data_ptr<scalar_t>(), rstd.data_ptr<scalar_t>());
    });
    return {out, rstd};
}

class RmsNormFunction : public torch::autograd::Function<RmsNormFunction> {
  public:
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x,
                                 const torch::Tensor& weight, double eps) {
        const torch::Tensor xc = x.contiguous(), wc = weight.contiguous();
        auto [out, rstd] = forward_loops(xc, wc, eps);
        ctx->save_for_backward({xc, wc, rstd});
        ctx->saved_data["eps"] = eps;
        return out;
    }

    static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
        TORCH_CHECK(!torch::GradMode::is_enabled(),
                    "rms_norm: double backward (create_graph=true) is not supported");
        const variable_list saved = ctx->get_saved_variables();
        const torch::Tensor &x = saved[0], &weight = saved[1], &rstd = saved[2];
        const torch::Tensor dout = grad_outputs[0].contiguous();
        torch::Tensor dx = torch::empty_like(x), dweight = torch::empty_like(weight);
        const RmsNormShape s = shape_of(x, ctx->saved_data["eps"].toDouble());
        AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "rms_norm_backward", [&] {
            rms_norm_backward_cpu(s, x.data_ptr<scalar_t>(), weight.data_ptr<scalar_t>(),
                                  rstd.data_ptr<scalar_t>(), dout.data_ptr<scalar_t>(),
                                  dx.data_ptr<scalar_t>(), dweight.data_ptr<scalar_t>());
        });
        return {dx, dweight, torch::Tensor()};
    }
};

}  // namespace

torch::Tensor rms_norm_reference(const torch::Tensor& x, const torch::Tensor& weight, double eps) {
    return x * torch::rsqrt(x.square().mean(-1, /*keepdim=*/true) + eps) * weight;
}

torch::Tensor rms_norm(const torch::Tensor& x, const torch::Tensor& weight, double eps) {
    TORCH_CHECK(x.dim() >= 1 && weight.dim() == 1 && weight.size(0) == x.size(-1),
                "rms_norm: weight must be (C) for x (..., C), got x ", x.sizes(), ", weight ",
                weight.sizes());
    if (!takes_cpu_loops({x, weight})) {
        return rms_norm_reference(x, weight, eps);
    }
    if (torch::GradMode::is_enabled() && (x.requires_grad() || weight.requires_grad())) {
        return RmsNormFunction::apply(x, weight, eps);
    }
    return forward_loops(x.contiguous(), weight.contiguous(), eps).first;
}

}  // namespace statetrack::kernels
