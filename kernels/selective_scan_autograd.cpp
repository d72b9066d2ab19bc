// selective_scan(): the differentiable selective scan (contract in selective_scan.h) as a
// torch::autograd::Function over the tensor-level forward/backward of
// selective_scan_dispatch.h. Calls that need no gradient skip the Function and the state
// checkpoints altogether. CUDA tensors run the torch-op reference on their device.
#include <algorithm>
#include <cstdio>
#include <initializer_list>
#include <mutex>

#include "kernels/autocast.h"
#include "kernels/autograd_inputs.h"
#include "kernels/selective_scan.h"
#include "kernels/selective_scan_dispatch.h"
#include "kernels/selective_scan_reference.h"

namespace statetrack::kernels {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

class SelectiveScanFunction : public torch::autograd::Function<SelectiveScanFunction> {
  public:
    // h0: undefined, or already of u's dtype (selective_scan() casts it).
    static variable_list forward(AutogradContext* ctx, const torch::Tensor& u,
                                 const torch::Tensor& delta, const torch::Tensor& A,
                                 const torch::Tensor& Bm, const torch::Tensor& Cm,
                                 const torch::Tensor& Dskip, const c10::optional<torch::Tensor>& h0,
                                 bool negative_eigenvalues) {
        // Contiguous once here, so the backward reuses the same buffers.
        const torch::Tensor uc = u.contiguous(), dc = delta.contiguous(), Ac = A.contiguous(),
                            Bc = Bm.contiguous(), Cc = Cm.contiguous(), Dc = Dskip.contiguous();
        const bool has_h0 = h0.has_value() && h0->defined();
        SelectiveScanForwardResult out =
            selective_scan_forward(uc, dc, Ac, Bc, Cc, Dc, has_h0 ? *h0 : torch::Tensor(),
                                   negative_eigenvalues, /*keep_checkpoints=*/true);
        ctx->save_for_backward({uc, dc, Ac, Bc, Cc, Dc, out.checkpoints});
        ctx->saved_data["has_h0"] = has_h0;
        ctx->saved_data["negative_eigenvalues"] = negative_eigenvalues;
        // Unused outputs (often h_final) get undefined gradients instead of zero tensors.
        ctx->set_materialize_grads(false);
        return {out.y, out.h_final};
    }

    static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
        TORCH_CHECK(!torch::GradMode::is_enabled(),
                    "selective_scan: double backward (create_graph=true through selective_scan) "
                    "is not supported");
        const variable_list s = ctx->get_saved_variables();
        const bool has_h0 = ctx->saved_data["has_h0"].toBool();
        const bool negative = ctx->saved_data["negative_eigenvalues"].toBool();
        const torch::Tensor& dy = grad_outputs[0];
        const torch::Tensor& dh_final = grad_outputs[1];
        variable_list grads(8);  // one entry per forward argument, undefined = no gradient
        if (!dy.defined() && !dh_final.defined()) {
            return grads;
        }
        SelectiveScanGradients g = selective_scan_backward(
            s[0], s[1], s[2], s[3], s[4], s[5], s[6], dy.defined() ? dy : torch::zeros_like(s[0]),
            dh_final, negative, /*want_dh0=*/has_h0 && ctx->needs_input_grad(6));
        grads = {g.du, g.ddelta, g.dA, g.dBm, g.dCm, g.dDskip, g.dh0, torch::Tensor()};
        return grads;
    }
};

// No CUDA selective-scan kernel yet: on a GPU the reference's torch ops run there, differentiated
// by autograd (about 10 kernel launches per step and layer: launch-bound, docs/models.md). Said
// once per process, so that a Mamba run on a GPU is never mistaken for a kernel run.
std::tuple<torch::Tensor, torch::Tensor> selective_scan_on_device(
    const torch::Tensor& u, const torch::Tensor& delta, const torch::Tensor& A,
    const torch::Tensor& Bm, const torch::Tensor& Cm, const torch::Tensor& Dskip,
    const torch::Tensor& h0, bool negative_eigenvalues) {
    static std::once_flag said;
    std::call_once(said, [&] {
        std::fprintf(stderr,
                     "statetrack: selective scan on %s runs the torch-op reference (no CUDA "
                     "kernel; docs/models.md)\n",
                     u.device().str().c_str());
    });
    return selective_scan_reference(u, delta, A, Bm, Cm, Dskip, optional_if_defined(h0),
                                    negative_eigenvalues);
}

}  // namespace

std::tuple<torch::Tensor, torch::Tensor> selective_scan(
    const torch::Tensor& u, const torch::Tensor& delta, const torch::Tensor& A,
    const torch::Tensor& Bm, const torch::Tensor& Cm, const torch::Tensor& Dskip,
    const c10::optional<torch::Tensor>& h0, bool negative_eigenvalues) {
    if (u.defined() && autocast_active(u.device().type())) {
        // bf16 autocast hands over mixed dtypes: the scan and its state run in float32.
        const auto f32 = [](const torch::Tensor& x) {
            return x.defined() && x.scalar_type() != torch::kFloat32 ? x.to(torch::kFloat32) : x;
        };
        const std::initializer_list<const torch::Tensor*> in = {&u, &delta, &A, &Bm, &Cm, &Dskip};
        if (std::any_of(in.begin(), in.end(), [](const torch::Tensor* x) {
                return x->defined() && x->scalar_type() != torch::kFloat32;
            })) {
            return selective_scan(f32(u), f32(delta), f32(A), f32(Bm), f32(Cm), f32(Dskip), h0,
                                  negative_eigenvalues);
        }
    }
    const torch::Tensor h0_in = h0.has_value() ? *h0 : torch::Tensor();
    check_selective_scan_inputs(u, delta, A, Bm, Cm, Dskip, h0_in);
    // A differentiable cast: h0's gradient flows back in its own dtype.
    const torch::Tensor h0_s = h0_in.defined() ? h0_in.to(u.scalar_type()) : torch::Tensor();
    if (u.is_cuda()) {
        return selective_scan_on_device(u, delta, A, Bm, Cm, Dskip, h0_s, negative_eigenvalues);
    }
    if (!torch::GradMode::is_enabled() ||
        !any_requires_grad({&u, &delta, &A, &Bm, &Cm, &Dskip, &h0_s})) {
        SelectiveScanForwardResult out = selective_scan_forward(
            u, delta, A, Bm, Cm, Dskip, h0_s, negative_eigenvalues, /*keep_checkpoints=*/false);
        return {out.y, out.h_final};
    }
    const variable_list out = SelectiveScanFunction::apply(
        u, delta, A, Bm, Cm, Dskip, optional_if_defined(h0_s), negative_eigenvalues);
    return {out[0], out[1]};
}

}  // namespace statetrack::kernels
