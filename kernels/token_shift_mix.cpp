// token_shift_mix (see token_shift_mix.h): the autograd Function over the CPU loops, and the
// torch-ops reference.
#include "kernels/token_shift_mix.h"

#include "kernels/autograd_inputs.h"
#include "kernels/token_shift_mix_cpu.h"

namespace statetrack::kernels {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

TokenShiftMixShape shape_of(const torch::Tensor& x, const torch::Tensor& mu) {
    return {x.size(0), x.size(1), x.size(2), mu.size(0)};
}

// x, x_prev, mu contiguous.
variable_list forward_loops(const torch::Tensor& x, const torch::Tensor& x_prev,
                            const torch::Tensor& mu) {
    variable_list out;
    for (int64_t k = 0; k < mu.size(0); ++k) {
        out.push_back(torch::empty_like(x));
    }
    AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "token_shift_mix", [&] {
        std::vector<scalar_t*> ptrs;
        for (torch::Tensor& o : out) {
            ptrs.push_back(o.data_ptr<scalar_t>());
        }
        token_shift_mix_forward_cpu(shape_of(x, mu), x.data_ptr<scalar_t>(),
                                    x_prev.data_ptr<scalar_t>(), mu.data_ptr<scalar_t>(),
                                    ptrs.data());
    });
    return out;
}

class TokenShiftMixFunction : public torch::autograd::Function<TokenShiftMixFunction> {
  public:
    static variable_list forward(AutogradContext* ctx, const torch::Tensor& x,
                                 const torch::Tensor& x_prev, const torch::Tensor& mu) {
        const torch::Tensor xc = x.contiguous(), pc = x_prev.contiguous(), mc = mu.contiguous();
        ctx->save_for_backward({xc, pc, mc});
        ctx->set_materialize_grads(false);  // an unused mix's gradient stays undefined
        return forward_loops(xc, pc, mc);
    }

    static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
        TORCH_CHECK(!torch::GradMode::is_enabled(),
                    "token_shift_mix: double backward (create_graph=true) is not supported");
        const variable_list s = ctx->get_saved_variables();
        const torch::Tensor &x = s[0], &x_prev = s[1], &mu = s[2];
        for (torch::Tensor& g : grad_outputs) {
            g = g.defined() ? g.contiguous() : g;
        }
        torch::Tensor dx = torch::empty_like(x), dx_prev = torch::empty_like(x_prev),
                      dmu = torch::empty_like(mu);
        AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "token_shift_mix_backward", [&] {
            std::vector<const scalar_t*> grads;
            for (const torch::Tensor& g : grad_outputs) {
                grads.push_back(g.defined() ? g.data_ptr<scalar_t>() : nullptr);
            }
            token_shift_mix_backward_cpu(shape_of(x, mu), x.data_ptr<scalar_t>(),
                                         x_prev.data_ptr<scalar_t>(), mu.data_ptr<scalar_t>(),
                                         grads.data(), dx.data_ptr<scalar_t>(),
                                         dx_prev.data_ptr<scalar_t>(), dmu.data_ptr<scalar_t>());
        });
        return {dx, dx_prev, dmu};
    }
};

void check_shapes(const torch::Tensor& x, const torch::Tensor& x_prev, const torch::Tensor& mu) {
    TORCH_CHECK(x.dim() == 3 && x.size(1) >= 1, "token_shift_mix: x must be (B,T,C) with T >= 1, got ",
                x.sizes());
    TORCH_CHECK(x_prev.dim() == 2 && x_prev.size(0) == x.size(0) && x_prev.size(1) == x.size(2),
                "token_shift_mix: x_prev must be (B,C) = (", x.size(0), ",", x.size(2), "), got ",
                x_prev.sizes());
    TORCH_CHECK(mu.dim() == 2 && mu.size(1) == x.size(2) && mu.size(0) >= 1,
                "token_shift_mix: mu must be (K,C) with C = ", x.size(2), ", got ", mu.sizes());
}

}  // namespace

std::vector<torch::Tensor> token_shift_mix_reference(const torch::Tensor& x,
                                                     const torch::Tensor& x_prev,
                                                     const torch::Tensor& mu) {
    check_shapes(x, x_prev, mu);
    const torch::Tensor shifted = torch::cat({x_prev.unsqueeze(1), x.slice(1, 0, x.size(1) - 1)}, 1);
    const torch::Tensor xx = shifted - x;
    std::vector<torch::Tensor> out;
    for (int64_t k = 0; k < mu.size(0); ++k) {
        out.push_back(x + xx * mu[k]);
    }
    return out;
}

std::vector<torch::Tensor> token_shift_mix(const torch::Tensor& x, const torch::Tensor& x_prev,
                                           const torch::Tensor& mu) {
    check_shapes(x, x_prev, mu);
    if (!takes_cpu_loops({x, x_prev, mu})) {
        return token_shift_mix_reference(x, x_prev, mu);
    }
    if (torch::GradMode::is_enabled() &&
        (x.requires_grad() || x_prev.requires_grad() || mu.requires_grad())) {
        return TokenShiftMixFunction::apply(x, x_prev, mu);
    }
    return forward_loops(x.contiguous(), x_prev.contiguous(), mu.contiguous());
}

}  // namespace statetrack::kernels
