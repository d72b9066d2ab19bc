// gelu_mlp (see gelu_mlp.h): the autograd Function over small_mm and the GELU loops.
#include "kernels/gelu_mlp.h"

#include "kernels/activations.h"
#include "kernels/activations_cpu.h"
#include "kernels/autocast.h"
#include "kernels/autograd_inputs.h"
#include "kernels/linear.h"
#include "kernels/small_gemm.h"

namespace statetrack::kernels {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

torch::Tensor rows(const torch::Tensor& t) { return t.reshape({-1, t.size(-1)}); }  // (·, last)
torch::Tensor optional(const torch::Tensor& b) { return b.numel() > 0 ? b : torch::Tensor(); }

class GeluMlpFunction : public torch::autograd::Function<GeluMlpFunction> {
  public:
    // Biases are empty tensors when absent (autograd takes no undefined arguments).
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x,
                                 const torch::Tensor& w1, const torch::Tensor& b1,
                                 const torch::Tensor& w2, const torch::Tensor& b2) {
        const torch::Tensor h = small_mm(rows(x), w1.t(), optional(b1));
        torch::Tensor g = torch::empty_like(h), derivative = torch::empty_like(h);
        gelu_with_derivative_cpu(h.data_ptr<float>(), g.data_ptr<float>(),
                                 derivative.data_ptr<float>(), h.numel());
        ctx->save_for_backward({x, w1, w2, g, derivative});
        std::vector<int64_t> shape = x.sizes().vec();
        shape.back() = w2.size(0);
        return small_mm(g, w2.t(), optional(b2)).view(shape);
    }

    static variable_list backward(AutogradContext* ctx, variable_list grad_out) {
        TORCH_CHECK(!torch::GradMode::is_enabled(),
                    "gelu_mlp: double backward (create_graph=true) is not supported");
        const variable_list saved = ctx->get_saved_variables();
        const torch::Tensor &x = saved[0], &w1 = saved[1], &w2 = saved[2];
        const torch::Tensor &g = saved[3], &derivative = saved[4];
        const torch::Tensor dy = rows(grad_out[0].contiguous());
        const bool first =
            ctx->needs_input_grad(0) || ctx->needs_input_grad(1) || ctx->needs_input_grad(2);
        const LinearGrads second =
            linear_backward(dy, g, w2, false, ctx->needs_input_grad(3), ctx->needs_input_grad(4));
        LinearGrads in;
        if (first) {
            const torch::Tensor dh = small_mm_times(dy, w2, derivative);
            in = linear_backward(dh, x, w1, ctx->needs_input_grad(0), ctx->needs_input_grad(1),
                                 ctx->needs_input_grad(2));
        }
        return {in.dx, in.dw, in.db, second.dw, second.db};
    }
};

torch::Tensor composition(const torch::Tensor& x, const torch::Tensor& w1, const torch::Tensor& b1,
                          const torch::Tensor& w2, const torch::Tensor& b2) {
    return linear(kernels::gelu(linear(x, w1, b1)), w2, b2);
}

}  // namespace

torch::Tensor gelu_mlp(const torch::Tensor& x, const torch::Tensor& w1, const torch::Tensor& b1,
                       const torch::Tensor& w2, const torch::Tensor& b2) {
    TORCH_CHECK(x.dim() >= 1 && w1.dim() == 2 && w2.dim() == 2 && x.size(-1) == w1.size(1) &&
                    w2.size(1) == w1.size(0),
                "gelu_mlp: expected x (..., C), w1 (F, C) and w2 (C', F), got ", x.sizes(), ", ",
                w1.sizes(), " and ", w2.sizes());
    const bool fused = takes_cpu_loops({x, w1, b1, w2, b2}) && x.scalar_type() == torch::kFloat32 &&
                       !autocast_active(c10::DeviceType::CPU);
    if (!fused || !torch::GradMode::is_enabled() || !any_requires_grad({&x, &w1, &b1, &w2, &b2})) {
        return composition(x, w1, b1, w2, b2);
    }
    // The composition's own checks name a wrong bias; the node needs them before it runs.
    TORCH_CHECK(!b1.defined() || (b1.dim() == 1 && b1.size(0) == w1.size(0)),
                "gelu_mlp: b1 must be (", w1.size(0), "), got ", b1.sizes());
    TORCH_CHECK(!b2.defined() || (b2.dim() == 1 && b2.size(0) == w2.size(0)),
                "gelu_mlp: b2 must be (", w2.size(0), "), got ", b2.sizes());
    const torch::Tensor none = torch::empty({0}, w1.options());
    return GeluMlpFunction::apply(x, w1, b1.defined() ? b1 : none, w2, b2.defined() ? b2 : none);
}

}  // namespace statetrack::kernels
