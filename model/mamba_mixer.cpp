// MambaMixer (see mamba_mixer.h).
#include "model/mamba_mixer.h"

#include <cmath>
#include <vector>

#include "kernels/activations.h"
#include "kernels/causal_conv.h"
#include "kernels/linear.h"
#include "kernels/selective_scan.h"
#include "kernels/silu_gate.h"

namespace statetrack::model {

MambaMixerImpl::MambaMixerImpl(const MambaConfig& config) : config_(resolve_mamba_config(config)) {
    const int64_t C = config_.d_model, E = config_.d_inner(), S = config_.d_state;
    const int64_t R = config_.dt_rank, K = config_.d_conv;
    in_proj_ = register_module("in_proj",
                               torch::nn::Linear(torch::nn::LinearOptions(C, 2 * E).bias(false)));
    conv1d_ = register_module(
        "conv1d", torch::nn::Conv1d(torch::nn::Conv1dOptions(E, E, K).groups(E).bias(true)));
    x_proj_ = register_module(
        "x_proj", torch::nn::Linear(torch::nn::LinearOptions(E, R + 2 * S).bias(false)));
    dt_proj_ = register_module("dt_proj", torch::nn::Linear(torch::nn::LinearOptions(R, E)));
    A_log_ = register_parameter("A_log", torch::zeros({E, S}));
    D_ = register_parameter("D", torch::ones({E}));
    out_proj_ =
        register_module("out_proj", torch::nn::Linear(torch::nn::LinearOptions(E, C).bias(false)));
}

torch::Tensor MambaMixerImpl::A() const { return -torch::exp(A_log_); }

std::pair<torch::Tensor, torch::Tensor> MambaMixerImpl::conv_input(const torch::Tensor& x) {
    const std::vector<torch::Tensor> xz = kernels::linear(x, in_proj_->weight).chunk(2, -1);
    // Causal: output t sees inputs t − K + 1 .. t (kernels/causal_conv.h).
    return {kernels::silu(kernels::causal_conv(xz[0], conv1d_->weight, conv1d_->bias)), xz[1]};
}

MambaMixerImpl::Projected MambaMixerImpl::project(const torch::Tensor& xc) {
    const int64_t R = config_.dt_rank, S = config_.d_state;
    const std::vector<torch::Tensor> parts =
        kernels::linear(xc, x_proj_->weight).split_with_sizes({R, S, S}, -1);
    return {kernels::softplus(kernels::linear(parts[0], dt_proj_->weight, dt_proj_->bias)),
            parts[1], parts[2]};
}

torch::Tensor MambaMixerImpl::forward(const torch::Tensor& x) {
    const auto [xc, z] = conv_input(x);
    const Projected p = project(xc);
    const auto [y, h_final] = kernels::selective_scan(xc, p.delta, A(), p.Bm, p.Cm, D_,
                                                      c10::nullopt, config_.negative_eigenvalues);
    return kernels::linear(kernels::silu_gate(y, z), out_proj_->weight);
}

torch::Tensor MambaMixerImpl::step(const torch::Tensor& x, MambaLayerState& state) {
    const std::vector<torch::Tensor> xz =
        kernels::linear(x, in_proj_->weight).chunk(2, -1);                           // (B, E) each
    const torch::Tensor window = torch::cat({state.conv, xz[0].unsqueeze(-1)}, -1);  // (B, E, K)
    state.conv = window.narrow(-1, 1, config_.d_conv - 1);
    const torch::Tensor xc =
        kernels::silu((window * conv1d_->weight.squeeze(1)).sum(-1) + conv1d_->bias);  // (B, E)
    const Projected p = project(xc);
    const torch::Tensor delta = p.delta.unsqueeze(-1);  // (B, E, 1)
    torch::Tensor a = torch::exp(delta * A());          // (B, E, S)
    if (config_.negative_eigenvalues) {
        a = 2 * a - 1;
    }
    state.ssm = a * state.ssm + delta * p.Bm.unsqueeze(1) * xc.unsqueeze(-1);
    const torch::Tensor y = (state.ssm * p.Cm.unsqueeze(1)).sum(-1) + D_ * xc;
    return kernels::linear(kernels::silu_gate(y, xz[1]), out_proj_->weight);
}

torch::Tensor MambaMixerImpl::transitions(const torch::Tensor& x) {
    const Projected p = project(conv_input(x).first);
    const torch::Tensor e = torch::exp(p.delta.unsqueeze(-1) * A());  // (B, T, E, S)
    return config_.negative_eigenvalues ? 2 * e - 1 : e;
}

MambaLayerState MambaMixerImpl::zero_state(int64_t batch_size,
                                           const torch::TensorOptions& options) const {
    const int64_t E = config_.d_inner();
    return {torch::zeros({batch_size, E, config_.d_conv - 1}, options),
            torch::zeros({batch_size, E, config_.d_state}, options)};
}

namespace {

// U(−bound, bound) in float64 from gen, copied into p (any dtype).
void fill_uniform(torch::Tensor& p, double bound, at::Generator& gen) {
    p.copy_(torch::empty(p.sizes(), torch::kFloat64).uniform_(-bound, bound, gen));
}

}  // namespace

void MambaMixerImpl::reset_parameters(at::Generator& gen, int64_t n_layers) {
    torch::NoGradGuard no_grad;
    const int64_t E = config_.d_inner(), S = config_.d_state, R = config_.dt_rank;
    const double K = static_cast<double>(config_.d_conv);
    // PyTorch's Linear / Conv1d default: U(±1/√fan_in).
    fill_uniform(in_proj_->weight, 1.0 / std::sqrt(static_cast<double>(config_.d_model)), gen);
    fill_uniform(conv1d_->weight, 1.0 / std::sqrt(K), gen);
    fill_uniform(conv1d_->bias, 1.0 / std::sqrt(K), gen);
    fill_uniform(x_proj_->weight, 1.0 / std::sqrt(static_cast<double>(E)), gen);
    // dt_proj: weight U(±R^−1/2); bias = softplus⁻¹(dt), dt log-uniform in [1e-3, 1e-1]
    // (floored at 1e-4), so that delta starts in Mamba's range.
    fill_uniform(dt_proj_->weight, 1.0 / std::sqrt(static_cast<double>(R)), gen);
    const torch::Tensor dt = torch::exp(torch::empty({E}, torch::kFloat64).uniform_(0.0, 1.0, gen) *
                                            (std::log(0.1) - std::log(1e-3)) +
                                        std::log(1e-3))
                                 .clamp_min(1e-4);
    dt_proj_->bias.copy_(dt + torch::log(-torch::expm1(-dt)));
    // S4D-real: A = −(1, 2, ..., S) in every channel.
    A_log_.copy_(torch::log(torch::arange(1, S + 1, torch::kFloat64)).expand({E, S}));
    D_.fill_(1.0);
    // Mamba's rescale_prenorm_residual: the default init divided by √L.
    fill_uniform(out_proj_->weight,
                 1.0 / std::sqrt(static_cast<double>(E)) / std::sqrt(static_cast<double>(n_layers)),
                 gen);
}

}  // namespace statetrack::model
