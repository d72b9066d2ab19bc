// Rwkv7TimeMix (see rwkv7_time_mix.h). The math follows RWKV-LM's RWKV_Tmix_x070 line by line.
#include "model/rwkv7_time_mix.h"

#include <tuple>
#include <vector>

#include "kernels/wkv7.h"

namespace statetrack::model {
namespace {

namespace F = torch::nn::functional;

// decay = exp(-e^{-0.5}·sigmoid(d)) ∈ (0.545, 1): the clamped form of rwkv7-spec.md §1.4.
constexpr double kDecayScale = 0.6065306597126334;  // e^{-0.5}
constexpr double kGroupNormEps = 64e-5;             // 1e-5 · head_size_divisor² (= 8²)

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
    : layer_id_(layer_id), n_heads_(config.n_heads()), head_size_(config.head_size) {
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

torch::Tensor Rwkv7TimeMixImpl::forward(const torch::Tensor& x, torch::Tensor& v_first,
                                        Rwkv7LayerState& state, Rwkv7WkvMode mode) {
    const int64_t B = x.size(0);
    const int64_t T = x.size(1);
    const int64_t C = x.size(2);
    const torch::Tensor xx = rwkv7_token_shift(x, state.att_x_prev) - x;
    state.att_x_prev = x.select(1, T - 1).clone();  // a copy: do not pin the whole chunk
    const auto mix = [&](const torch::Tensor& mu) { return x + xx * mu; };  // lerp(x_t, x_{t-1}, μ)
    const torch::Tensor xr = mix(x_r_), xw = mix(x_w_), xk = mix(x_k_);
    const torch::Tensor xv = mix(x_v_), xa = mix(x_a_), xg = mix(x_g_);

    const torch::Tensor r = receptance_(xr);
    const torch::Tensor d = w0_ + torch::tanh(xw.matmul(w1_)).matmul(w2_);  // decay precursor
    torch::Tensor k = key_(xk);
    torch::Tensor v = value_(xv);
    if (layer_id_ == 0) {
        v_first = v;
    } else {  // value residual: the gate weighs layer 0's v (code convention, spec §1.3)
        v = v + (v_first - v) * torch::sigmoid(v0_ + xv.matmul(v1_).matmul(v2_));
    }
    const torch::Tensor a = torch::sigmoid(a0_ + xa.matmul(a1_).matmul(a2_));
    const torch::Tensor g = torch::sigmoid(xg.matmul(g1_)).matmul(g2_);
    const auto heads = [&](const torch::Tensor& t) { return t.view({B, T, n_heads_, head_size_}); };
    const torch::Tensor kk =
        F::normalize(heads(k * k_k_), F::NormalizeFuncOptions().p(2).dim(-1).eps(1e-12));
    k = k * (1 + (a - 1) * k_a_);  // replacement key k̃ = k ⊙ lerp(1, a, α)

    torch::Tensor y = wkv(r, d, k, v, kk, a, state.wkv, mode);
    y = ln_x_(y.view({B * T, C})).view({B, T, C});
    y = y + ((heads(r) * heads(k) * r_k_).sum(-1, /*keepdim=*/true) * heads(v)).view({B, T, C});
    return output_(y * g);
}

// Runs the WKV recurrence in the state's dtype (float32 at least, as the reference kernels do)
// with a = -κ̂ and b = κ̂ ⊙ a_iclr; returns y (B,T,C) in the model's dtype.
torch::Tensor Rwkv7TimeMixImpl::wkv(const torch::Tensor& r, const torch::Tensor& d,
                                    const torch::Tensor& k, const torch::Tensor& v,
                                    const torch::Tensor& kk, const torch::Tensor& a,
                                    torch::Tensor& wkv_state, Rwkv7WkvMode mode) const {
    const int64_t B = r.size(0);
    const int64_t T = r.size(1);
    const auto dtype = wkv_state.scalar_type();
    const auto heads = [&](const torch::Tensor& t) {
        return t.view({B, T, n_heads_, head_size_}).to(dtype);
    };
    const torch::Tensor decay = torch::exp(-kDecayScale * torch::sigmoid(heads(d)));
    const torch::Tensor kk_op = kk.to(dtype);
    const torch::Tensor b = kk_op * heads(a);
    torch::Tensor y;
    if (mode == Rwkv7WkvMode::kParallel) {
        std::tie(y, wkv_state) =
            kernels::wkv7(heads(r), decay, heads(k), heads(v), -kk_op, b, wkv_state);
    } else {
        y = wkv7_recurrent(heads(r), decay, heads(k), heads(v), -kk_op, b, wkv_state);
    }
    return y.reshape({B, T, n_heads_ * head_size_}).to(r.scalar_type());
}

}  // namespace statetrack::model
