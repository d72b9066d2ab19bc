// relu_square (see relu_square.h): the autograd Function over the CPU loops.
#include "kernels/relu_square.h"

#include "kernels/autograd_inputs.h"
#include "kernels/relu_square_cpu.h"

namespace statetrack::kernels {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

torch::Tensor forward_loops(const torch::Tensor& x) {
    const torch::Tensor xc = x.contiguous();
    torch::Tensor y = torch::empty_like(xc);
    AT_DISPATCH_FLOATING_TYPES(xc.scalar_type(), "relu_square", [&] {
        relu_square_forward_cpu(xc.data_ptr<scalar_t>(), y.data_ptr<scalar_t>(), xc.numel());
    });
    return y;
}

class ReluSquareFunction : public torch::autograd::Function<ReluSquareFunction> {
  public:
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x) {
        const torch::Tensor xc = x.contiguous();
        ctx->save_for_backward({xc});
        return forward_loops(xc);
    }

    static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
        TORCH_CHECK(!torch::GradMode::is_enabled(),
                    "relu_square: double backward (create_graph=true) is not supported");
        const torch::Tensor x = ctx->get_saved_variables()[0];
        const torch::Tensor dy = grad_outputs[0].contiguous();
        torch::Tensor dx = torch::empty_like(x);
        AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "relu_square_backward", [&] {
            relu_square_backward_cpu(x.data_ptr<scalar_t>(), dy.data_ptr<scalar_t>(),
                                     dx.data_ptr<scalar_t>(), x.numel());
        });
        return {dx};
    }
};

}  // namespace

torch::Tensor relu_square(const torch::Tensor& x) {
    if (!takes_cpu_loops({x})) {
        return torch::relu(x).square();
    }
    if (torch::GradMode::is_enabled() && x.requires_grad()) {
        return ReluSquareFunction::apply(x);
    }
    return forward_loops(x);
}

}  // namespace statetrack::kernels
