// apply_pointwise<Op>(x): a differentiable elementwise op y = f(x) whose CPU loops are raw
// functions (kernels/relu_square.h, kernels/activations.h): one loop each way, the backward reading
// only x (saved) and dy, where LibTorch's forms record and save more. CPU float32/float64 tensors
// take the loops (through the autograd Function when x requires a gradient); any other dtype or
// device (bf16 under autocast, CUDA) gets Op::reference(x). Same shape and dtype as x; any strides.
// Double backward is not supported on the loop path (a clear error naming the op).
// Op provides:
//   static constexpr const char* kName;
//   template <typename T> static void forward(const T* x, T* y, int64_t n);
//   template <typename T> static void backward(const T* x, const T* dy, T* dx, int64_t n);
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
        ctx->save_for_backward({xc});
        return forward_loops<Op>(xc);
    }

    static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                   torch::autograd::variable_list grad_outputs) {
        TORCH_CHECK(!torch::GradMode::is_enabled(), Op::kName,
                    ": double backward (create_graph=true) is not supported");
        const torch::Tensor x = ctx->get_saved_variables()[0];
        const torch::Tensor dy = grad_outputs[0].contiguous();
        torch::Tensor dx = torch::empty_like(x);
        AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), Op::kName, [&] {
            Op::backward(x.data_ptr<scalar_t>(), dy.data_ptr<scalar_t>(), dx.data_ptr<scalar_t>(),
                         x.numel());
        });
        return {dx};
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
