// silu_gate (see silu_gate.h): the autograd Function over the CPU loops.
#include "kernels/silu_gate.h"

#include "kernels/activations_cpu.h"
#include "kernels/autograd_inputs.h"

namespace statetrack::kernels {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// y, z contiguous.
torch::Tensor forward_loops(const torch::Tensor& y, const torch::Tensor& z) {
    torch::Tensor out = torch::empty_like(y);
    AT_DISPATCH_FLOATING_TYPES(y.scalar_type(), "silu_gate", [&] {
        silu_gate_forward_cpu(y.data_ptr<scalar_t>(), z.data_ptr<scalar_t>(),
                              out.data_ptr<scalar_t>(), y.numel());
    });
    return out;
}

class SiluGateFunction : public torch::autograd::Function<SiluGateFunction> {
  public:
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& y,
                                 const torch::Tensor& z) {
        const torch::Tensor yc = y.contiguous(), zc = z.contiguous();
        ctx->save_for_backward({yc, zc});
        return forward_loops(yc, zc);
    }

    static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
        TORCH_CHECK(!torch::GradMode::is_enabled(),
                    "silu_gate: double backward (create_graph=true) is not supported");
        const variable_list saved = ctx->get_saved_variables();
        const torch::Tensor &y = saved[0], &z = saved[1];
        const torch::Tensor g = grad_outputs[0].contiguous();
        torch::Tensor dy = torch::empty_like(y), dz = torch::empty_like(z);
        AT_DISPATCH_FLOATING_TYPES(y.scalar_type(), "silu_gate_backward", [&] {
            silu_gate_backward_cpu(y.data_ptr<scalar_t>(), z.data_ptr<scalar_t>(),
                                   g.data_ptr<scalar_t>(), dy.data_ptr<scalar_t>(),
                                   dz.data_ptr<scalar_t>(), y.numel());
        });
        return {dy, dz};
    }
};

}  // namespace

torch::Tensor silu_gate_reference(const torch::Tensor& y, const torch::Tensor& z) {
    return y * torch::silu(z);
}

torch::Tensor silu_gate(const torch::Tensor& y, const torch::Tensor& z) {
    TORCH_CHECK(y.sizes() == z.sizes(), "silu_gate: y and z must have one shape, got ", y.sizes(),
                " and ", z.sizes());
    if (!takes_cpu_loops({y, z})) {
        return silu_gate_reference(y, z);
    }
    if (torch::GradMode::is_enabled() && (y.requires_grad() || z.requires_grad())) {
        return SiluGateFunction::apply(y, z);
    }
    return forward_loops(y.contiguous(), z.contiguous());
}

}  // namespace statetrack::kernels
