// causal_conv (see causal_conv.h): the autograd Function over the CPU loops.
#include "kernels/causal_conv.h"

#include "kernels/autograd_inputs.h"
#include "kernels/causal_conv_cpu.h"

namespace statetrack::kernels {
namespace {

namespace F = torch::nn::functional;
using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

CausalConvShape shape_of(const torch::Tensor& x, const torch::Tensor& weight) {
    return {x.size(0), x.size(1), x.size(2), weight.size(2)};
}

// All contiguous.
torch::Tensor forward_loops(const torch::Tensor& x, const torch::Tensor& weight,
                            const torch::Tensor& bias) {
    torch::Tensor y = torch::empty_like(x);
    AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "causal_conv", [&] {
        causal_conv_forward_cpu(shape_of(x, weight), x.data_ptr<scalar_t>(),
                                weight.data_ptr<scalar_t>(), bias.data_ptr<scalar_t>(),
                                y.data_ptr<scalar_t>());
    });
    return y;
}

class CausalConvFunction : public torch::autograd::Function<CausalConvFunction> {
  public:
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x,
                                 const torch::Tensor& weight, const torch::Tensor& bias) {
        const torch::Tensor xc = x.contiguous(), wc = weight.contiguous();
        ctx->save_for_backward({xc, wc});
        return forward_loops(xc, wc, bias.contiguous());
    }

    static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
        TORCH_CHECK(!torch::GradMode::is_enabled(),
                    "causal_conv: double backward (create_graph=true) is not supported");
        const variable_list saved = ctx->get_saved_variables();
        const torch::Tensor &x = saved[0], &weight = saved[1];
        const torch::Tensor dy = grad_outputs[0].contiguous();
        torch::Tensor dx = torch::empty_like(x), dweight = torch::empty_like(weight);
        torch::Tensor dbias = torch::empty({x.size(2)}, x.options());
        AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "causal_conv_backward", [&] {
            causal_conv_backward_cpu(shape_of(x, weight), x.data_ptr<scalar_t>(),
                                     weight.data_ptr<scalar_t>(), dy.data_ptr<scalar_t>(),
                                     dx.data_ptr<scalar_t>(), dweight.data_ptr<scalar_t>(),
                                     dbias.data_ptr<scalar_t>());
        });
        return {dx, dweight, dbias};
    }
};

}  // namespace

torch::Tensor causal_conv_reference(const torch::Tensor& x, const torch::Tensor& weight,
                                    const torch::Tensor& bias) {
    const int64_t K = weight.size(2);
    const torch::Tensor padded = F::pad(x.transpose(1, 2), F::PadFuncOptions({K - 1, 0}));
    return F::conv1d(padded, weight, F::Conv1dFuncOptions().bias(bias).groups(x.size(2)))
        .transpose(1, 2);
}

torch::Tensor causal_conv(const torch::Tensor& x, const torch::Tensor& weight,
                          const torch::Tensor& bias) {
    TORCH_CHECK(x.dim() == 3 && weight.dim() == 3 && weight.size(0) == x.size(2) &&
                    weight.size(1) == 1 && weight.size(2) >= 1 && bias.dim() == 1 &&
                    bias.size(0) == x.size(2),
                "causal_conv: x must be (B, T, E), weight (E, 1, K) and bias (E), got x ",
                x.sizes(), ", weight ", weight.sizes(), ", bias ", bias.sizes());
    if (!takes_cpu_loops({x, weight, bias})) {
        return causal_conv_reference(x, weight, bias);
    }
    const bool needs_grad = x.requires_grad() || weight.requires_grad() || bias.requires_grad();
    if (torch::GradMode::is_enabled() && needs_grad) {
        return CausalConvFunction::apply(x, weight, bias);
    }
    return forward_loops(x.contiguous(), weight.contiguous(), bias.contiguous());
}

}  // namespace statetrack::kernels
