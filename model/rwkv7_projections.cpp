// rwkv7_projections (see rwkv7_projections.h): the torch-ops reference and the autograd Function
// that issues the same matrix products without a node per op.
#include "model/rwkv7_projections.h"

#include <utility>
#include <vector>

#include "kernels/autocast.h"
#include "kernels/autograd_inputs.h"
#include "kernels/linear.h"
#include "kernels/small_gemm.h"

namespace statetrack::model {
namespace {

using kernels::small_mm;
using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// Positions in the Function's input list: the mixes, the Linear weights, the LoRA pairs, then
// v1 and v2 with the value residual (autograd takes no undefined tensors in a TensorList).
enum Input : size_t {
    kXr,
    kXw,
    kXk,
    kXv,
    kXa,
    kXg,
    kWr,
    kWk,
    kWv,
    kW1,
    kW2,
    kA1,
    kA2,
    kG1,
    kG2,
    kV1,
    kV2
};
// Positions in its output list, and of the LoRAs' hidden activations among the saved tensors
// (after the inputs).
enum Output : size_t { kR, kK, kV, kD, kA, kGate, kVLora };
enum Hidden : size_t { kHw, kHa, kHg, kHv };

std::vector<torch::Tensor> as_list(const Rwkv7ProjectionInputs& in) {
    std::vector<torch::Tensor> x{in.xr,  in.xw, in.xk, in.xv, in.xa, in.xg, in.w_r, in.w_k,
                                 in.w_v, in.w1, in.w2, in.a1, in.a2, in.g1, in.g2};
    if (in.v1.defined()) {
        x.insert(x.end(), {in.v1, in.v2});
    }
    return x;
}

torch::Tensor rows(const torch::Tensor& t) { return t.reshape({-1, t.size(-1)}); }  // (B·T, ·)

// The forward products on 2D rows; hidden receives tanh(xw w1), xa a1, sigmoid(xg g1) and,
// with the value residual, xv v1. Outputs are (B,T,C).
variable_list forward_products(const std::vector<torch::Tensor>& x, variable_list& hidden) {
    const auto out = [&](const torch::Tensor& t) { return t.view(x[kXr].sizes()); };
    hidden = {small_mm(rows(x[kXw]), x[kW1]).tanh_(), small_mm(rows(x[kXa]), x[kA1]),
              small_mm(rows(x[kXg]), x[kG1]).sigmoid_()};
    variable_list y{
        out(small_mm(rows(x[kXr]), x[kWr].t())), out(small_mm(rows(x[kXk]), x[kWk].t())),
        out(small_mm(rows(x[kXv]), x[kWv].t())), out(small_mm(hidden[kHw], x[kW2])),
        out(small_mm(hidden[kHa], x[kA2])),      out(small_mm(hidden[kHg], x[kG2]))};
    if (x.size() > kV1) {
        hidden.push_back(small_mm(rows(x[kXv]), x[kV1]));
        y.push_back(out(small_mm(hidden[kHv], x[kV2])));
    }
    return y;
}

// Gradients of a LoRA y = act(x p1) p2 with h = act(x p1) saved, given dy (rows); act_backward
// maps dL/dh to dL/d(x p1). Returns dx shaped like x.
template <typename ActBackward>
torch::Tensor lora_backward(const torch::Tensor& dy, const torch::Tensor& x, const torch::Tensor& h,
                            const torch::Tensor& p1, const torch::Tensor& p2,
                            ActBackward act_backward, torch::Tensor& dp1, torch::Tensor& dp2) {
    const torch::Tensor dpre = act_backward(small_mm(dy, p2.t()));
    dp2 = small_mm(h.t(), dy);
    dp1 = small_mm(rows(x).t(), dpre);
    return small_mm(dpre, p1.t()).view(x.sizes());
}

class Rwkv7ProjectionsFunction : public torch::autograd::Function<Rwkv7ProjectionsFunction> {
  public:
    static variable_list forward(AutogradContext* ctx, at::TensorList inputs) {
        std::vector<torch::Tensor> x;
        for (const torch::Tensor& t : inputs) {
            x.push_back(t.contiguous());
        }
        variable_list hidden;
        const variable_list y = forward_products(x, hidden);
        x.insert(x.end(), hidden.begin(), hidden.end());
        ctx->save_for_backward(x);
        ctx->saved_data["inputs"] = static_cast<int64_t>(inputs.size());
        ctx->set_materialize_grads(false);  // an output without gradient costs nothing
        return y;
    }

    static variable_list backward(AutogradContext* ctx, variable_list dy) {
        TORCH_CHECK(!torch::GradMode::is_enabled(),
                    "rwkv7_projections: double backward (create_graph=true) is not supported");
        const variable_list saved = ctx->get_saved_variables();
        const size_t n = static_cast<size_t>(ctx->saved_data["inputs"].toInt());
        const std::vector<torch::Tensor> x(saved.begin(), saved.begin() + n);
        const std::vector<torch::Tensor> h(saved.begin() + n, saved.end());
        for (torch::Tensor& g : dy) {
            g = g.defined() ? rows(g.contiguous()) : g;
        }
        variable_list dx(n);
        // The Linear whose output dy[o] is: input mix xi, weight wi.
        const auto linear = [&](size_t o, size_t xi, size_t wi) {
            if (dy[o].defined()) {
                kernels::LinearGrads g = kernels::linear_backward(dy[o], x[xi], x[wi]);
                dx[xi] = std::move(g.dx);
                dx[wi] = std::move(g.dw);
            }
        };
        linear(kR, kXr, kWr);
        linear(kK, kXk, kWk);
        linear(kV, kXv, kWv);
        // The LoRA whose output dy[o] is: input mix xi, hidden activation hi, pair (p1, p2).
        const auto lora = [&](size_t o, size_t xi, size_t hi, size_t p1, size_t p2, auto act) {
            return dy[o].defined()
                       ? lora_backward(dy[o], x[xi], h[hi], x[p1], x[p2], act, dx[p1], dx[p2])
                       : torch::Tensor();
        };
        const auto identity = [](const torch::Tensor& g) { return g; };
        dx[kXw] = lora(kD, kXw, kHw, kW1, kW2,
                       [&](const torch::Tensor& g) { return at::tanh_backward(g, h[kHw]); });
        dx[kXa] = lora(kA, kXa, kHa, kA1, kA2, identity);
        dx[kXg] = lora(kGate, kXg, kHg, kG1, kG2,
                       [&](const torch::Tensor& g) { return at::sigmoid_backward(g, h[kHg]); });
        if (n > kV1) {  // xv also feeds the value-residual LoRA: its gradient is the sum
            const torch::Tensor dxv = lora(kVLora, kXv, kHv, kV1, kV2, identity);
            if (dxv.defined()) {
                dx[kXv] = dx[kXv].defined() ? dx[kXv].add_(dxv) : dxv;
            }
        }
        return dx;
    }
};

void check_inputs(const Rwkv7ProjectionInputs& in) {
    TORCH_CHECK(in.xr.dim() == 3, "rwkv7_projections: the mixes must be (B,T,C), got ",
                in.xr.sizes());
    for (const torch::Tensor* t : {&in.xw, &in.xk, &in.xv, &in.xa, &in.xg}) {
        TORCH_CHECK(t->sizes() == in.xr.sizes(),
                    "rwkv7_projections: every mix must be shaped like xr ", in.xr.sizes(), ", got ",
                    t->sizes());
    }
    TORCH_CHECK(in.v1.defined() == in.v2.defined(),
                "rwkv7_projections: v1 and v2 come together or not at all");
}

}  // namespace

Rwkv7Projections rwkv7_projections_reference(const Rwkv7ProjectionInputs& in) {
    check_inputs(in);
    namespace F = torch::nn::functional;
    Rwkv7Projections out;
    out.r = F::linear(in.xr, in.w_r);
    out.k = F::linear(in.xk, in.w_k);
    out.v = F::linear(in.xv, in.w_v);
    out.d_lora = torch::tanh(in.xw.matmul(in.w1)).matmul(in.w2);
    out.a_lora = in.xa.matmul(in.a1).matmul(in.a2);
    if (in.v1.defined()) {
        out.v_lora = in.xv.matmul(in.v1).matmul(in.v2);
    }
    out.gate = torch::sigmoid(in.xg.matmul(in.g1)).matmul(in.g2);
    return out;
}

Rwkv7Projections rwkv7_projections(const Rwkv7ProjectionInputs& in) {
    check_inputs(in);
    const std::vector<torch::Tensor> x = as_list(in);
    if (!kernels::takes_cpu_loops(x) || kernels::autocast_active(c10::DeviceType::CPU)) {
        return rwkv7_projections_reference(in);
    }
    bool needs_grad = false;
    for (const torch::Tensor& t : x) {
        needs_grad = needs_grad || t.requires_grad();
    }
    variable_list y;
    if (torch::GradMode::is_enabled() && needs_grad) {
        y = Rwkv7ProjectionsFunction::apply(at::TensorList(x));
    } else {
        variable_list hidden;
        y = forward_products(x, hidden);
    }
    Rwkv7Projections out{y[kR], y[kK], y[kV], y[kD], y[kA], torch::Tensor(), y[kGate]};
    if (y.size() > kVLora) {
        out.v_lora = y[kVLora];
    }
    return out;
}

}  // namespace statetrack::model
