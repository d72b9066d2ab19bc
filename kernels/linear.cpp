// linear (see linear.h): the autograd Function over small_mm.
#include "kernels/linear.h"

#include "kernels/autocast.h"
#include "kernels/autograd_inputs.h"
#include "kernels/column_sums_cpu.h"
#include "kernels/small_gemm.h"

namespace statetrack::kernels {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

torch::Tensor rows(const torch::Tensor& t) { return t.reshape({-1, t.size(-1)}); }  // (·, last)

torch::Tensor forward_product(const torch::Tensor& x, const torch::Tensor& w,
                              const torch::Tensor& b) {
    std::vector<int64_t> shape = x.sizes().vec();
    shape.back() = w.size(0);
    return small_mm(rows(x), w.t(), b).view(shape);
}

class LinearFunction : public torch::autograd::Function<LinearFunction> {
  public:
    // b is an empty tensor when there is no bias (autograd takes no undefined arguments).
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x,
                                 const torch::Tensor& w, const torch::Tensor& b) {
        ctx->save_for_backward({x, w});
        return forward_product(x, w, b.numel() > 0 ? b : torch::Tensor());
    }

    static variable_list backward(AutogradContext* ctx, variable_list grad_out) {
        TORCH_CHECK(!torch::GradMode::is_enabled(),
                    "linear: double backward (create_graph=true) is not supported");
        const variable_list saved = ctx->get_saved_variables();
        const torch::Tensor &x = saved[0], &w = saved[1];
        const torch::Tensor dy = rows(grad_out[0].contiguous());
        LinearGrads g = linear_backward(dy, x, w, ctx->needs_input_grad(0),
                                        ctx->needs_input_grad(1), ctx->needs_input_grad(2));
        return {g.dx, g.dw, g.db};
    }
};

}  // namespace

LinearGrads linear_backward(const torch::Tensor& dy, const torch::Tensor& x, const torch::Tensor& w,
                            bool want_dx, bool want_dw, bool want_db) {
    LinearGrads g;
    if (want_dx) {
        g.dx = small_mm(dy, w).view(x.sizes());
    }
    if (want_dw) {
        g.dw = small_mm(dy.t(), rows(x));
    }
    if (want_db) {
        TORCH_CHECK(
            dy.is_contiguous() && dy.scalar_type() == torch::kFloat32 && dy.device().is_cpu(),
            "linear_backward: the bias gradient needs a contiguous float32 CPU dy");
        g.db = torch::empty({dy.size(1)}, dy.options());
        column_sums_cpu(dy.data_ptr<float>(), dy.size(0), dy.size(1), g.db.data_ptr<float>());
    }
    return g;
}

torch::Tensor linear(const torch::Tensor& x, const torch::Tensor& w, const torch::Tensor& b) {
    TORCH_CHECK(x.dim() >= 1 && w.dim() == 2 && x.size(-1) == w.size(1),
                "linear: expected x (..., in) and w (out, in), got ", x.sizes(), " and ",
                w.sizes());
    TORCH_CHECK(!b.defined() || (b.dim() == 1 && b.size(0) == w.size(0)),
                "linear: the bias must be (", w.size(0), "), got ", b.sizes());
    const bool fused = takes_cpu_loops({x, w, b}) && x.scalar_type() == torch::kFloat32 &&
                       !autocast_active(c10::DeviceType::CPU);
    if (!fused) {
        return torch::nn::functional::linear(x, w, b);
    }
    if (torch::GradMode::is_enabled() && any_requires_grad({&x, &w, &b})) {
        return LinearFunction::apply(x, w, b.defined() ? b : torch::empty({0}, w.options()));
    }
    return forward_product(x, w, b);
}

}  // namespace statetrack::kernels
