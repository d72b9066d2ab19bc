// Rwkv7Model (see rwkv7_model.h).
#include "model/rwkv7_model.h"

#include <fmt/format.h>

#include <stdexcept>
#include <utility>

#include "kernels/embedding.h"
#include "kernels/layer_norm.h"
#include "model/rwkv7_optim.h"

namespace statetrack::model {
namespace {

void check_shape(const torch::Tensor& t, std::vector<int64_t> expected, torch::ScalarType dtype,
                 const std::string& what) {
    check_state_tensor(t, expected, dtype, "rwkv7 state", what);
}

}  // namespace

Rwkv7ModelImpl::Rwkv7ModelImpl(const Rwkv7Config& config) : config_(resolve_rwkv7_config(config)) {
    const int64_t C = config_.d_model;
    const int64_t V = config_.vocab_size;
    emb_ = register_module("emb", torch::nn::Embedding(V, C));
    blocks_ = register_module("blocks", torch::nn::ModuleList());
    for (int64_t l = 0; l < config_.n_layers; ++l) {
        block_list_.push_back(Rwkv7Block(config_, l));
        blocks_->push_back(block_list_.back());
    }
    ln_out_ =
        register_module("ln_out", torch::nn::LayerNorm(torch::nn::LayerNormOptions({C}).eps(1e-5)));
    head_ = register_module("head", torch::nn::Linear(torch::nn::LinearOptions(C, V).bias(false)));
}

Rwkv7Output Rwkv7ModelImpl::forward(const torch::Tensor& tokens,
                                    const c10::optional<Rwkv7State>& state) {
    check_tokens(tokens, 2);
    Rwkv7State start = state ? *state : initial_state(tokens.size(0));
    check_state(start, tokens.size(0));
    return run(tokens, std::move(start), Rwkv7WkvMode::kParallel);
}

Rwkv7Output Rwkv7ModelImpl::step(const torch::Tensor& tokens, const Rwkv7State& state) {
    check_tokens(tokens, 1);
    check_state(state, tokens.size(0));
    Rwkv7Output out = run(tokens.unsqueeze(1), state, Rwkv7WkvMode::kRecurrent);
    out.logits = out.logits.squeeze(1);
    return out;
}

Rwkv7Output Rwkv7ModelImpl::run(const torch::Tensor& tokens, Rwkv7State state, Rwkv7WkvMode mode) {
    torch::Tensor x = kernels::embedding(tokens, emb_->weight);
    torch::Tensor v_first;
    for (size_t l = 0; l < block_list_.size(); ++l) {
        x = block_list_[l]->forward(x, v_first, state.layers[l], mode);
    }
    // kernels::layer_norm: see Rwkv7BlockImpl::forward.
    const torch::Tensor normed =
        kernels::layer_norm(x, ln_out_->weight, ln_out_->bias, ln_out_->options.eps());
    return {head_(normed), std::move(state)};
}

Rwkv7State Rwkv7ModelImpl::initial_state(int64_t batch_size) const {
    return rwkv7_zero_state(config_, batch_size, options());
}

torch::Tensor Rwkv7ModelImpl::logits(const torch::Tensor& tokens) { return forward(tokens).logits; }

std::unique_ptr<StepState> Rwkv7ModelImpl::start_state(int64_t batch_size) const {
    std::shared_ptr<const Rwkv7FusedStep> fused;
    if (Rwkv7FusedStep::supports(*this)) {
        fused = std::make_shared<const Rwkv7FusedStep>(*this);
    }
    return std::make_unique<Rwkv7StepState>(
        Rwkv7StepSession{initial_state(batch_size), std::move(fused)});
}

torch::Tensor Rwkv7ModelImpl::step_logits(const torch::Tensor& tokens, StepState& state) {
    Rwkv7StepSession& session = model_step_state<Rwkv7StepSession>(state, "rwkv7");
    if (session.fused && session.fused->accepts(session.state)) {
        check_tokens(tokens, 1);
        check_state(session.state, tokens.size(0));
        return session.fused->step(tokens, session.state);
    }
    Rwkv7Output out = step(tokens, session.state);
    session.state = std::move(out.state);
    return out.logits;
}

nlohmann::json Rwkv7ModelImpl::config_json() const { return rwkv7_config_to_json(config_); }

std::vector<ParamGroup> Rwkv7ModelImpl::param_groups() const { return rwkv7_param_groups(*this); }

ModelDescription Rwkv7ModelImpl::describe(int64_t /*state_length*/) const {
    const Rwkv7Config& c = config_;
    const int64_t state_floats = initial_state(1).numel_per_sequence();
    ModelDescription d;
    d.json = {{"type", "rwkv7"},
              {"vocab_size", c.vocab_size},
              {"n_layers", c.n_layers},
              {"d_model", c.d_model},
              {"head_size", c.head_size},
              {"n_heads", c.n_heads()},
              {"d_ffn", c.d_ffn()},
              {"lora_dims", {{"w", c.dim_w}, {"a", c.dim_a}, {"v", c.dim_v}, {"g", c.dim_g}}},
              {"parameters", parameter_count()},
              {"state_floats_per_layer", state_floats / c.n_layers},
              {"state_floats", state_floats}};
    d.text = fmt::format(
        "rwkv7: {} layers, d_model {}, {} heads of {}, vocab {}, ffn {}\n"
        "LoRA widths: w {}, a {}, v {}, g {}\n"
        "parameters: {}\n"
        "state: {} floats per layer (H*N^2 + 2*C), {} per sequence\n",
        c.n_layers, c.d_model, c.n_heads(), c.head_size, c.vocab_size, c.d_ffn(), c.dim_w, c.dim_a,
        c.dim_v, c.dim_g, parameter_count(), state_floats / c.n_layers, state_floats);
    return d;
}

void Rwkv7ModelImpl::check_tokens(const torch::Tensor& tokens, int64_t dims) const {
    check_model_tokens(tokens, dims, config_.vocab_size, "rwkv7");
}

void Rwkv7ModelImpl::check_state(const Rwkv7State& state, int64_t batch_size) const {
    if (static_cast<int64_t>(state.layers.size()) != config_.n_layers) {
        throw std::invalid_argument(fmt::format("rwkv7 state: has {} layers, the model has {}",
                                                state.layers.size(), config_.n_layers));
    }
    const int64_t B = batch_size;
    const int64_t C = config_.d_model;
    const int64_t H = config_.n_heads();
    const int64_t N = config_.head_size;
    const torch::ScalarType dtype = options().dtype().toScalarType();
    for (size_t l = 0; l < state.layers.size(); ++l) {
        const Rwkv7LayerState& s = state.layers[l];
        check_shape(s.att_x_prev, {B, C}, dtype, fmt::format("layers[{}].att_x_prev", l));
        check_shape(s.wkv, {B, H, N, N}, rwkv7_wkv_dtype(dtype), fmt::format("layers[{}].wkv", l));
        check_shape(s.ffn_x_prev, {B, C}, dtype, fmt::format("layers[{}].ffn_x_prev", l));
    }
}

}  // namespace statetrack::model
