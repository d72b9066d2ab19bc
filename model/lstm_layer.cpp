// lstm_layer (see lstm_layer.h): the autograd Function, its step loops over
// kernels/lstm_cell_cpu.h and the products between steps (kernels/small_gemm.h).
#include "model/lstm_layer.h"

#include "kernels/autocast.h"
#include "kernels/autograd_inputs.h"
#include "kernels/linear.h"
#include "kernels/lstm_cell_cpu.h"
#include "kernels/small_gemm.h"

namespace statetrack::model {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// Forward over all steps: fills y, c (B, T, H) and act (B, T, 4H) from gx (B·T, 4H).
template <typename S>
void forward_steps(const torch::Tensor& gx, const torch::Tensor& bias, const torch::Tensor& w_hh,
                   const torch::Tensor& h0, const torch::Tensor& c0, torch::Tensor& y,
                   torch::Tensor& c, torch::Tensor& act) {
    const int64_t B = y.size(0), T = y.size(1), H = y.size(2);
    // (H, 4H): copied once into rows for the small GEMM, unless the steps are too few and narrow
    // (a token-by-token step of a few sequences) for the copy to pay.
    const torch::Tensor whh_t = B * T >= 32 ? w_hh.t().contiguous() : w_hh.t();
    torch::Tensor rec = torch::empty({B, 4 * H}, y.options());
    kernels::LstmCellForwardArgs<S> a;
    a.B = B, a.H = H, a.gx_row = T * 4 * H, a.act_row = T * 4 * H, a.state_row = T * H;
    a.rec = rec.data_ptr<S>(), a.bias = bias.data_ptr<S>();
    for (int64_t t = 0; t < T; ++t) {
        kernels::small_mm_into(rec, t == 0 ? h0 : y.select(1, t - 1), whh_t);
        a.gx = gx.data_ptr<S>() + t * 4 * H;
        a.c_prev = t == 0 ? c0.data_ptr<S>() : c.data_ptr<S>() + (t - 1) * H;
        a.c_prev_row = t == 0 ? H : T * H;
        a.act = act.data_ptr<S>() + t * 4 * H;
        a.c = c.data_ptr<S>() + t * H;
        a.h = y.data_ptr<S>() + t * H;
        kernels::lstm_cell_forward_cpu(a);
    }
}

// Backward over all steps, last first: the pre-activations' gradient dp (B, T, 4H).
template <typename S>
void backward_steps(const torch::Tensor& dy, const torch::Tensor& act, const torch::Tensor& c,
                    const torch::Tensor& c0, const torch::Tensor& w_hh, torch::Tensor& dp) {
    const int64_t B = dy.size(0), T = dy.size(1), H = dy.size(2);
    const torch::Tensor whh = w_hh.contiguous();  // (4H, H)
    torch::Tensor dh_rec = torch::zeros({B, H}, dy.options());
    torch::Tensor dc_next = torch::zeros({B, H}, dy.options());
    kernels::LstmCellBackwardArgs<S> a;
    a.B = B, a.H = H, a.act_row = T * 4 * H, a.state_row = T * H;
    a.dh_rec = dh_rec.data_ptr<S>(), a.dc_next = dc_next.data_ptr<S>();
    for (int64_t t = T - 1; t >= 0; --t) {
        a.act = act.data_ptr<S>() + t * 4 * H;
        a.dp = dp.data_ptr<S>() + t * 4 * H;
        a.c = c.data_ptr<S>() + t * H;
        a.dy = dy.data_ptr<S>() + t * H;
        a.c_prev = t == 0 ? c0.data_ptr<S>() : c.data_ptr<S>() + (t - 1) * H;
        a.c_prev_row = t == 0 ? H : T * H;
        kernels::lstm_cell_backward_cpu(a);
        if (t > 0) {
            kernels::small_mm_into(dh_rec, dp.select(1, t), whh);
        }
    }
}

class LstmLayerFunction : public torch::autograd::Function<LstmLayerFunction> {
  public:
    static variable_list forward(AutogradContext* ctx, const torch::Tensor& x,
                                 const torch::Tensor& w_ih, const torch::Tensor& w_hh,
                                 const torch::Tensor& b_ih, const torch::Tensor& b_hh,
                                 const torch::Tensor& h0, const torch::Tensor& c0) {
        const int64_t B = x.size(0), T = x.size(1), I = x.size(2), H = w_hh.size(1);
        const torch::Tensor xc = x.contiguous();
        const torch::Tensor gx = kernels::small_mm(xc.view({B * T, I}), w_ih.t());
        const torch::Tensor bias = b_ih + b_hh;
        torch::Tensor y = torch::empty({B, T, H}, x.options());
        torch::Tensor c = torch::empty({B, T, H}, x.options());
        torch::Tensor act = torch::empty({B, T, 4 * H}, x.options());
        AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "lstm_layer", [&] {
            forward_steps<scalar_t>(gx, bias, w_hh, h0, c0, y, c, act);
        });
        torch::Tensor h_n = y.select(1, T - 1).clone();
        torch::Tensor c_n = c.select(1, T - 1).clone();
        ctx->mark_non_differentiable({h_n, c_n});
        ctx->save_for_backward({xc, w_ih, w_hh, h0, c0, y, c, act});
        return {y, h_n, c_n};
    }

    static variable_list backward(AutogradContext* ctx, variable_list grad_out) {
        TORCH_CHECK(!torch::GradMode::is_enabled(),
                    "lstm_layer: double backward (create_graph=true) is not supported");
        const variable_list s = ctx->get_saved_variables();
        const torch::Tensor &x = s[0], &w_ih = s[1], &w_hh = s[2], &h0 = s[3], &c0 = s[4];
        const torch::Tensor &y = s[5], &c = s[6], &act = s[7];
        const int64_t B = x.size(0), T = x.size(1), H = y.size(2);
        const torch::Tensor dy =
            grad_out[0].defined() ? grad_out[0].contiguous() : torch::zeros_like(y);
        torch::Tensor dp = torch::empty_like(act);
        AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "lstm_layer_backward",
                                   [&] { backward_steps<scalar_t>(dy, act, c, c0, w_hh, dp); });
        // The recurrent weights' gradient pairs dp_t with h_{t−1}: y shifted one step, h0 first.
        torch::Tensor h_prev = torch::empty_like(y);
        h_prev.select(1, 0).copy_(h0);
        h_prev.narrow(1, 1, T - 1).copy_(y.narrow(1, 0, T - 1));
        const torch::Tensor dp2 = dp.view({B * T, 4 * H});
        kernels::LinearGrads input = kernels::linear_backward(dp2, x, w_ih);
        kernels::LinearGrads recurrent = kernels::linear_backward(dp2, h_prev, w_hh, false);
        const torch::Tensor db = dp2.sum(0);
        return {input.dx, input.dw, recurrent.dw, db, db, torch::Tensor(), torch::Tensor()};
    }
};

void check_inputs(const torch::Tensor& x, const LstmLayerWeights& w, const torch::Tensor& h0,
                  const torch::Tensor& c0) {
    TORCH_CHECK(x.dim() == 3 && x.size(1) >= 1, "lstm_layer: x must be (B, T >= 1, I), got ",
                x.sizes());
    const int64_t B = x.size(0), I = x.size(2), H = w.w_hh.size(-1);
    TORCH_CHECK(w.w_ih.sizes() == torch::IntArrayRef({4 * H, I}) &&
                    w.w_hh.sizes() == torch::IntArrayRef({4 * H, H}) &&
                    w.b_ih.sizes() == torch::IntArrayRef({4 * H}) &&
                    w.b_hh.sizes() == torch::IntArrayRef({4 * H}),
                "lstm_layer: weights must be w_ih (4H, ", I,
                "), w_hh (4H, H), b_ih and b_hh (4H); "
                "got ",
                w.w_ih.sizes(), ", ", w.w_hh.sizes(), ", ", w.b_ih.sizes(), ", ", w.b_hh.sizes());
    TORCH_CHECK(kernels::takes_cpu_loops({x, w.w_ih, w.w_hh, w.b_ih, w.b_hh, h0, c0}),
                "lstm_layer: needs CPU float32 or float64 tensors of one dtype");
    for (const torch::Tensor* state : {&h0, &c0}) {
        TORCH_CHECK(!state->defined() || state->sizes() == torch::IntArrayRef({B, H}),
                    "lstm_layer: h0 and c0 must be (", B, ", ", H, "), got ", state->sizes());
        TORCH_CHECK(!state->defined() || !state->requires_grad(),
                    "lstm_layer: h0 and c0 must not require a gradient");
    }
}

}  // namespace

bool lstm_layer_applies(const torch::Tensor& x) {
    return kernels::takes_cpu_loops({x}) && !kernels::autocast_active(c10::DeviceType::CPU);
}

LstmLayerOutput lstm_layer(const torch::Tensor& x, const LstmLayerWeights& w,
                           const torch::Tensor& h0, const torch::Tensor& c0) {
    check_inputs(x, w, h0, c0);
    const auto state = [&](const torch::Tensor& s) {
        return s.defined() ? s.contiguous()
                           : torch::zeros({x.size(0), w.w_hh.size(1)}, x.options());
    };
    variable_list out =
        LstmLayerFunction::apply(x, w.w_ih, w.w_hh, w.b_ih, w.b_hh, state(h0), state(c0));
    return {out[0], out[1], out[2]};
}

}  // namespace statetrack::model
