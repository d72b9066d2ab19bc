// wkv7(): the differentiable WKV7 op (contract in wkv7.h) as a torch::autograd::Function over
// the tensor-level forward/backward of wkv7_dispatch.h. Calls that need no gradient skip the
// Function and the state checkpoints altogether.
#include "kernels/autocast.h"
#include "kernels/autograd_inputs.h"
#include "kernels/wkv7.h"
#include "kernels/wkv7_dispatch.h"

namespace statetrack::kernels {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

class Wkv7Function : public torch::autograd::Function<Wkv7Function> {
  public:
    // state0: undefined, or already of the state dtype (wkv7() casts it).
    static variable_list forward(AutogradContext* ctx, const torch::Tensor& r,
                                 const torch::Tensor& w, const torch::Tensor& k,
                                 const torch::Tensor& v, const torch::Tensor& a,
                                 const torch::Tensor& b,
                                 const c10::optional<torch::Tensor>& state0) {
        // Contiguous once here, so the backward reuses the same buffers.
        const torch::Tensor rc = r.contiguous(), wc = w.contiguous(), kc = k.contiguous(),
                            vc = v.contiguous(), ac = a.contiguous(), bc = b.contiguous();
        const bool has_state0 = state0.has_value() && state0->defined();
        Wkv7ForwardResult out =
            wkv7_forward(rc, wc, kc, vc, ac, bc, has_state0 ? *state0 : torch::Tensor(),
                         /*keep_checkpoints=*/true);
        ctx->save_for_backward({rc, wc, kc, vc, ac, bc, out.checkpoints});
        ctx->saved_data["has_state0"] = has_state0;
        // Unused outputs (often state_final) get undefined gradients instead of zero tensors.
        ctx->set_materialize_grads(false);
        return {out.y, out.state_final};
    }

    static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
        TORCH_CHECK(!torch::GradMode::is_enabled(),
                    "wkv7: double backward (create_graph=true through wkv7) is not supported");
        const variable_list s = ctx->get_saved_variables();
        const bool has_state0 = ctx->saved_data["has_state0"].toBool();
        const torch::Tensor& dy = grad_outputs[0];
        const torch::Tensor& dstate_final = grad_outputs[1];
        if (!dy.defined() && !dstate_final.defined()) {
            return {torch::Tensor(), torch::Tensor(), torch::Tensor(), torch::Tensor(),
                    torch::Tensor(), torch::Tensor(), torch::Tensor()};
        }
        Wkv7Gradients g = wkv7_backward(s[0], s[1], s[2], s[3], s[4], s[5], s[6],
                                        dy.defined() ? dy : torch::zeros_like(s[0]), dstate_final,
                                        /*want_dstate0=*/has_state0 && ctx->needs_input_grad(6));
        // One entry per forward argument; undefined where no gradient is wanted.
        return {g.dr, g.dw, g.dk, g.dv, g.da, g.db, g.dstate0};
    }
};

// wkv7() once its six inputs share one dtype.
std::tuple<torch::Tensor, torch::Tensor> wkv7_one_dtype(
    const torch::Tensor& r, const torch::Tensor& w, const torch::Tensor& k, const torch::Tensor& v,
    const torch::Tensor& a, const torch::Tensor& b, const c10::optional<torch::Tensor>& state0) {
    const torch::Tensor s0_in = state0.has_value() ? *state0 : torch::Tensor();
    check_wkv7_inputs(r, w, k, v, a, b, s0_in);
    // A differentiable cast: state0's gradient flows back in its own dtype.
    const torch::Tensor s0 =
        s0_in.defined() ? s0_in.to(wkv7_state_dtype(r.scalar_type())) : torch::Tensor();
    if (!torch::GradMode::is_enabled() || !any_requires_grad({&r, &w, &k, &v, &a, &b, &s0})) {
        Wkv7ForwardResult out = wkv7_forward(r, w, k, v, a, b, s0, /*keep_checkpoints=*/false);
        return {out.y, out.state_final};
    }
    const variable_list out = Wkv7Function::apply(r, w, k, v, a, b, optional_if_defined(s0));
    return {out[0], out[1]};
}

}  // namespace

std::tuple<torch::Tensor, torch::Tensor> wkv7(const torch::Tensor& r, const torch::Tensor& w,
                                              const torch::Tensor& k, const torch::Tensor& v,
                                              const torch::Tensor& a, const torch::Tensor& b,
                                              const c10::optional<torch::Tensor>& state0) {
    if (r.defined() && autocast_active(r.device().type())) {
        // Under bf16 autocast the six inputs arrive in mixed dtypes (linear layers give bf16,
        // exp and norms float32). One dtype, cast differentiably, that the device's kernel
        // takes: bf16 I/O with a float32 state on CUDA; float32 on the CPU (no bf16 kernel).
        const auto dtype = r.is_cuda() ? torch::kBFloat16 : torch::kFloat32;
        const auto cast = [&](const torch::Tensor& x) { return x.defined() ? x.to(dtype) : x; };
        return wkv7_one_dtype(cast(r), cast(w), cast(k), cast(v), cast(a), cast(b), state0);
    }
    return wkv7_one_dtype(r, w, k, v, a, b, state0);
}

}  // namespace statetrack::kernels
