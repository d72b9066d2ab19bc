// linear (see linear.h): the autograd Function over small_mm.
#include "kernels/linear.h"

#include "kernels/autocast.h"
#include "kernels/small_gemm.h"

namespace statetrack::kernels {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

torch::Tensor rows(const torch::Tensor& t) { return t.reshape({-1, t.size(-1)}); }  // (·, last)

torch::Tensor forward_product(const torch::Tensor& x, const torch::Tensor& w) {
    std::vector<int64_t> shape = x.sizes().vec();
    shape.back() = w.size(0);
    return small_mm(rows(x), w.t()).view(shape);
}

class LinearFunction : public torch::autograd::Function<LinearFunction> {
  public:
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x,
                                 const torch::Tensor& w) {
        ctx->save_for_backward({x, w});
        return forward_product(x, w);
    }

    static variable_list backward(AutogradContext* ctx, variable_list grad_out) {
        TORCH_CHECK(!torch::GradMode::is_enabled(),
                    "linear: double backward (create_graph=true) is not supported");
        const variable_list saved = ctx->get_saved_variables();
        const torch::Tensor &x = saved[0], &w = saved[1];
        const torch::Tensor dy = rows(grad_out[0].contiguous());
        torch::Tensor dx, dw;
        if (ctx->needs_input_grad(0)) {
            dx = small_mm(dy, w).view(x.sizes());
        }
        if (ctx->needs_input_grad(1)) {
            dw = small_mm(dy.t(), rows(x));
        }
        return {dx, dw};
    }
};

}  // namespace

torch::Tensor linear(const torch::Tensor& x, const torch::Tensor& w) {
    TORCH_CHECK(x.dim() >= 1 && w.dim() == 2 && x.size(-1) == w.size(1),
                "linear: expected x (..., in) and w (out, in), got ", x.sizes(), " and ",
                w.sizes());
    const bool fused = x.scalar_type() == torch::kFloat32 && w.scalar_type() == torch::kFloat32 &&
                       x.device().is_cpu() && w.device().is_cpu() &&
                       !autocast_active(c10::DeviceType::CPU);
    if (!fused) {
        return torch::nn::functional::linear(x, w);
    }
    if (torch::GradMode::is_enabled() && (x.requires_grad() || w.requires_grad())) {
        return LinearFunction::apply(x, w);
    }
    return forward_product(x, w);
}

}  // namespace statetrack::kernels
