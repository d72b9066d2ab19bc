// Rwkv7TimeMix (see rwkv7_time_mix.h). The math follows RWKV-LM's RWKV_Tmix_x070 line by line.
#include "model/rwkv7_time_mix.h"

#include <tuple>
#include <vector>

#include "kernels/linear.h"
#include "kernels/token_shift_mix.h"
#include "kernels/wkv7.h"
#include "model/rwkv7_projections.h"
#include "model/rwkv7_wkv_operands.h"
#include "model/rwkv7_wkv_readout.h"

namespace statetrack::model {
namespace {

constexpr double kGroupNormEps = 64e-5;  // 1e-5 · head_size_divisor² (= 8²)

torch::nn::Linear linear_no_bias(int64_t in, int64_t out) {
    return torch::nn::Linear(torch::nn::LinearOptions(in, out).bias(false));
}

// The RNN form, token by token: S ← S·diag(w) + (S a) bᵀ + v kᵀ, y = S r. Inputs (B,T,H,N),
// state (B,H,N,N) with S[i][j], i = value, j = key; returns y (B,T,H,N).
torch::Tensor wkv7_recurrent(const torch::Tensor& r, const torch::Tensor& w, const torch::Tensor& k,
                             const torch::Tensor& v, const torch::Tensor& a, const torch::Tensor& b,
                             torch::Tensor& state) {
    std::vector<torch::Tensor> ys;
    ys.reserve(static_cast<size_t>(r.size(1)));
    for (int64_t t = 0; t < r.size(1); ++t) {
        const auto at = [t](const torch::Tensor& x) { return x.select(1, t); };  // (B,H,N)
        const torch::Tensor sa = state.matmul(at(a).unsqueeze(-1));              // (B,H,N,1)
        state = state * at(w).unsqueeze(-2) + sa * at(b).unsqueeze(-2) +
                at(v).unsqueeze(-1) * at(k).unsqueeze(-2);
        ys.push_back(state.matmul(at(r).unsqueeze(-1)).squeeze(-1));
    }
    return torch::stack(ys, 1);
}

}  // namespace

Rwkv7TimeMixImpl::Rwkv7TimeMixImpl(const Rwkv7Config& config, int64_t layer_id)
    : config_(config),
      layer_id_(layer_id),
      n_heads_(config.n_heads()),
      head_size_(config.head_size) {
    const int64_t C = config.d_model;
    const auto vec = [&](const char* name) {
        return register_parameter(name, torch::zeros({1, 1, C}));
    };
    const auto mat = [&](const char* name, int64_t rows, int64_t cols) {
        return register_parameter(name, torch::zeros({rows, cols}));
    };
    x_r_ = vec("x_r");
    x_w_ = vec("x_w");
    x_k_ = vec("x_k");
    x_v_ = vec("x_v");
    x_a_ = vec("x_a");
    x_g_ = vec("x_g");
    w0_ = vec("w0");
    w1_ = mat("w1", C, config.dim_w);
    w2_ = mat("w2", config.dim_w, C);
    a0_ = vec("a0");
    a1_ = mat("a1", C, config.dim_a);
    a2_ = mat("a2", config.dim_a, C);
    v0_ = vec("v0");
    v1_ = mat("v1", C, config.dim_v);
    v2_ = mat("v2", config.dim_v, C);
    g1_ = mat("g1", C, config.dim_g);
    g2_ = mat("g2", config.dim_g, C);
    k_k_ = vec("k_k");
    k_a_ = vec("k_a");
    r_k_ = mat("r_k", n_heads_, head_size_);
    receptance_ = register_module("receptance", linear_no_bias(C, C));
    key_ = register_module("key", linear_no_bias(C, C));
    value_ = register_module("value", linear_no_bias(C, C));
    output_ = register_module("output", linear_no_bias(C, C));
    ln_x_ = register_module(
        "ln_x", torch::nn::GroupNorm(torch::nn::GroupNormOptions(n_heads_, C).eps(kGroupNormEps)));
}

Rwkv7WkvInputs Rwkv7TimeMixImpl::wkv_inputs(const torch::Tensor& x, torch::Tensor& v_first,
                                            const torch::Tensor& x_prev) {
    // The six lerps x + (x_{t-1} − x)·μ, one op forward and backward (kernels/token_shift_mix.h).
    const torch::Tensor mu = torch::cat({x_r_, x_w_, x_k_, x_v_, x_a_, x_g_}).view({6, x.size(2)});
    const std::vector<torch::Tensor> mixes = kernels::token_shift_mix(x, x_prev, mu);

    Rwkv7ProjectionInputs p;
    p.xr = mixes[0], p.xw = mixes[1], p.xk = mixes[2], p.xv = mixes[3], p.xa = mixes[4];
    p.xg = mixes[5];
    p.w_r = receptance_->weight, p.w_k = key_->weight, p.w_v = value_->weight;
    p.w1 = w1_, p.w2 = w2_, p.a1 = a1_, p.a2 = a2_, p.g1 = g1_, p.g2 = g2_;
    const bool residual = layer_id_ > 0 && config_.value_residual;  // docs/rwkv7.md §3.2
    if (residual) {
        p.v1 = v1_, p.v2 = v2_;
    }
    const Rwkv7Projections proj = rwkv7_projections(p);

    Rwkv7OperandInputs ops;
    ops.k = proj.k;
    ops.v = proj.v;
    ops.d_lora = proj.d_lora;  // decay precursor, less w0
    ops.a_lora = proj.a_lora;
    if (layer_id_ == 0) {
        v_first = ops.v;
    } else if (residual) {  // the gate weighs layer 0's v
        ops.v_lora = proj.v_lora;
        ops.v_first = v_first;
        ops.v0 = v0_;
    }
    ops.w0 = w0_;
    ops.a0 = a0_;
    ops.k_k = k_k_;
    ops.k_a = k_a_;
    const Rwkv7WkvOperands operands = rwkv7_wkv_operands(ops, config_);
    Rwkv7WkvInputs in;
    in.r = proj.r;
    in.decay = operands.decay;
    in.k = operands.k;
    in.v = operands.v;
    in.a = operands.a;
    in.b = operands.b;
    in.gate = proj.gate;
    return in;
}

torch::Tensor Rwkv7TimeMixImpl::forward(const torch::Tensor& x, torch::Tensor& v_first,
                                        Rwkv7LayerState& state, Rwkv7WkvMode mode) {
    const int64_t T = x.size(1);
    const Rwkv7WkvInputs in = wkv_inputs(x, v_first, state.att_x_prev);
    state.att_x_prev = x.select(1, T - 1).clone();  // a copy: do not pin the whole chunk

    // Group norm, bonus and gate as one op (model/rwkv7_wkv_readout.h).
    Rwkv7ReadoutInputs readout;
    readout.y = wkv(in, state.wkv, mode);
    readout.v = in.v;
    readout.gate = in.gate;
    readout.weight = ln_x_->weight;
    readout.bias = ln_x_->bias;
    if (config_.bonus) {
        readout.r = in.r;
        readout.k = in.k;
        readout.r_k = r_k_;
    }
    return kernels::linear(rwkv7_wkv_readout(readout, n_heads_, kGroupNormEps), output_->weight);
}

// Runs the WKV recurrence in the state's dtype (float32 at least, as the reference kernels do);
// returns y (B,T,C) in the model's dtype.
torch::Tensor Rwkv7TimeMixImpl::wkv(const Rwkv7WkvInputs& in, torch::Tensor& wkv_state,
                                    Rwkv7WkvMode mode) const {
    const int64_t B = in.r.size(0);
    const int64_t T = in.r.size(1);
    const auto dtype = wkv_state.scalar_type();
    const auto heads = [&](const torch::Tensor& t) {
        return t.view({B, T, n_heads_, head_size_}).to(dtype);
    };
    const torch::Tensor decay = heads(in.decay), a = heads(in.a), b = heads(in.b);
    torch::Tensor y;
    if (mode == Rwkv7WkvMode::kParallel) {
        std::tie(y, wkv_state) =
            kernels::wkv7(heads(in.r), decay, heads(in.k), heads(in.v), a, b, wkv_state);
    } else {
        y = wkv7_recurrent(heads(in.r), decay, heads(in.k), heads(in.v), a, b, wkv_state);
    }
    // In the parameters' dtype, for the group norm that follows: not r's, which is bf16 under
    // bf16 autocast while the parameters (and the CPU group norm's) stay float32.
    return y.reshape({B, T, n_heads_ * head_size_}).to(x_r_.scalar_type());
}

}  // namespace statetrack::model
