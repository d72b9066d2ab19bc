// apply_pointwise<Op>(x): a differentiable elementwise op y = f(x) whose CPU loops are raw
// functions (kernels/relu_square.h, kernels/activations.h). When x requires a gradient, one loop
// writes y and the derivative d = f'(x), d is saved instead of x (the same size), and the
// backward is the product dx = dy·d, so f' is not recomputed there (for GELU that had cost as
// much as the forward); LibTorch's forms record and save more. CPU float32/float64 tensors
// take the loops (through the autograd Function when x requires a gradient); any other dtype or
// device (bf16 under autocast, CUDA) gets Op::reference(x). Same shape and dtype as x; any strides.
// Double backward is not supported on the loop path (a clear error naming the op).
// Op provides:
//   static constexpr const char* kName;
//   template <typename T> static void forward(const T* x, T* y, int64_t n);
//   template <typename T> static void with_derivative(const T* x, T* y, T* d, int64_t n);
//   static torch::Tensor reference(const torch::Tensor& x);
#pragma once

#include <torch/torch.h>

#include "kernels/autograd_inputs.h"

namespace statetrack::kernels {
namespace pointwise_detail {

template <typename Op>
torch::Tensor forward_loops(const torch::Tensor& x) {
    const torch::Tensor xc = x.contiguous();
    torch::Tensor y = torch::empty_like(xc);
    AT_DISPATCH_FLOATING_TYPES(xc.scalar_type(), Op::kName, [&] {
        Op::forward(xc.data_ptr<scalar_t>(), y.data_ptr<scalar_t>(), xc.numel());
    });
    return y;
}

template <typename Op>
class Function : public torch::autograd::Function<Function<Op>> {
  public:
    static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x) {
        const torch::Tensor xc = x.contiguous();
        torch::Tensor y = torch::empty_like(xc), d = torch::empty_like(xc);
        AT_DISPATCH_FLOATING_TYPES(xc.scalar_type(), Op::kName, [&] {
            Op::with_derivative(xc.data_ptr<scalar_t>(), y.data_ptr<scalar_t>(),
                                d.data_ptr<scalar_t>(), xc.numel());
        });
        ctx->save_for_backward({d});
        return y;
    }

    static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                   torch::autograd::variable_list grad_outputs) {
        TORCH_CHECK(!torch::GradMode::is_enabled(), Op::kName,
                    ": double backward (create_graph=true) is not supported");
        return {grad_outputs[0] * ctx->get_saved_variables()[0]};
    }
};

}  // namespace pointwise_detail

template <typename Op>
torch::Tensor apply_pointwise(const torch::Tensor& x) {
    if (!takes_cpu_loops({x})) {
        return Op::reference(x);
    }
    if (torch::GradMode::is_enabled() && x.requires_grad()) {
        return pointwise_detail::Function<Op>::apply(x);
    }
    return pointwise_detail::forward_loops<Op>(x);
}

}  // namespace statetrack::kernels
