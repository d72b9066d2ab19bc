// MambaModel, its blocks, RMSNorm and Mamba's initialisation (see mamba_model.h).
#include "model/mamba_model.h"

#include <ATen/CPUGeneratorImpl.h>
#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

#include "kernels/embedding.h"
#include "kernels/rms_norm.h"
#include "model/seeded_init.h"

namespace statetrack::model {

int64_t MambaState::numel_per_sequence() const {
    int64_t total = 0;
    for (const MambaLayerState& layer : layers) {
        total += layer.conv.numel() + layer.ssm.numel();
    }
    return layers.empty() ? 0 : total / layers.front().ssm.size(0);
}

MambaRmsNormImpl::MambaRmsNormImpl(int64_t dim, double eps) : eps_(eps) {
    weight = register_parameter("weight", torch::ones({dim}));
}

torch::Tensor MambaRmsNormImpl::forward(const torch::Tensor& x) {
    return kernels::rms_norm(x, weight, eps_);
}

MambaBlockImpl::MambaBlockImpl(const MambaConfig& config) {
    norm = register_module("norm", MambaRmsNorm(config.d_model));
    mixer = register_module("mixer", MambaMixer(config));
}

torch::Tensor MambaBlockImpl::forward(const torch::Tensor& x) { return x + mixer(norm(x)); }

torch::Tensor MambaBlockImpl::step(const torch::Tensor& x, MambaLayerState& state) {
    return x + mixer->step(norm(x), state);
}

MambaModelImpl::MambaModelImpl(const MambaConfig& config) : config_(resolve_mamba_config(config)) {
    const int64_t C = config_.d_model, V = config_.vocab_size;
    embedding_ = register_module("embedding", torch::nn::Embedding(V, C));
    layers_ = register_module("layers", torch::nn::ModuleList());
    for (int64_t l = 0; l < config_.n_layers; ++l) {
        block_list_.push_back(MambaBlock(config_));
        layers_->push_back(block_list_.back());
    }
    norm_f_ = register_module("norm_f", MambaRmsNorm(C));
    lm_head_ =
        register_module("lm_head", torch::nn::Linear(torch::nn::LinearOptions(C, V).bias(false)));
}

MambaState MambaModelImpl::initial_state(int64_t batch_size) const {
    if (batch_size < 1) {
        throw std::invalid_argument(
            fmt::format("mamba: start_state batch size {} must be >= 1", batch_size));
    }
    MambaState state;
    for (const MambaBlock& block : block_list_) {
        state.layers.push_back(block->mixer->zero_state(batch_size, options()));
    }
    return state;
}

torch::Tensor MambaModelImpl::logits(const torch::Tensor& tokens) {
    check_model_tokens(tokens, 2, config_.vocab_size, "mamba");
    torch::Tensor x = kernels::embedding(tokens, embedding_->weight);
    for (MambaBlock& block : block_list_) {
        x = block->forward(x);
    }
    return lm_head_(norm_f_(x));
}

std::vector<torch::Tensor> MambaModelImpl::transitions(const torch::Tensor& tokens) {
    check_model_tokens(tokens, 2, config_.vocab_size, "mamba");
    std::vector<torch::Tensor> out;
    torch::Tensor x = kernels::embedding(tokens, embedding_->weight);
    for (MambaBlock& block : block_list_) {
        out.push_back(block->mixer->transitions(block->norm(x)));
        x = block->forward(x);
    }
    return out;
}

std::unique_ptr<StepState> MambaModelImpl::start_state(int64_t batch_size) const {
    return std::make_unique<MambaStepState>(initial_state(batch_size));
}

torch::Tensor MambaModelImpl::step_logits(const torch::Tensor& tokens, StepState& state) {
    MambaState& mamba_state = model_step_state<MambaState>(state, "mamba");
    check_model_tokens(tokens, 1, config_.vocab_size, "mamba");
    check_state(mamba_state, tokens.size(0));
    torch::Tensor x = kernels::embedding(tokens, embedding_->weight);
    for (size_t l = 0; l < block_list_.size(); ++l) {
        x = block_list_[l]->step(x, mamba_state.layers[l]);
    }
    return lm_head_(norm_f_(x));
}

nlohmann::json MambaModelImpl::config_json() const { return mamba_config_to_json(config_); }

void MambaModelImpl::check_state(const MambaState& state, int64_t batch_size) const {
    if (static_cast<int64_t>(state.layers.size()) != config_.n_layers) {
        throw std::invalid_argument(fmt::format("mamba state: has {} layers, the model has {}",
                                                state.layers.size(), config_.n_layers));
    }
    const int64_t E = config_.d_inner();
    const torch::ScalarType dtype = options().dtype().toScalarType();
    for (size_t l = 0; l < state.layers.size(); ++l) {
        check_state_tensor(state.layers[l].conv, {batch_size, E, config_.d_conv - 1}, dtype,
                           "mamba state", fmt::format("layers[{}].conv", l));
        check_state_tensor(state.layers[l].ssm, {batch_size, E, config_.d_state}, dtype,
                           "mamba state", fmt::format("layers[{}].ssm", l));
    }
}

void mamba_initialize(MambaModelImpl& model, uint64_t seed) {
    torch::NoGradGuard no_grad;
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    const MambaConfig& c = model.config();
    auto params = model.named_parameters();
    params["embedding.weight"].copy_(
        torch::empty({c.vocab_size, c.d_model}, torch::kFloat64).normal_(0.0, 0.02, gen));
    for (MambaBlock block : model.blocks()) {  // a handle: copies share the module
        block->norm->weight.fill_(1.0);
        block->mixer->reset_parameters(gen, c.n_layers);
    }
    params["norm_f.weight"].fill_(1.0);
    const double bound = 1.0 / std::sqrt(static_cast<double>(c.d_model));
    params["lm_head.weight"].copy_(
        torch::empty({c.vocab_size, c.d_model}, torch::kFloat64).uniform_(-bound, bound, gen));
}

MambaModel make_mamba_model(const MambaConfig& config, uint64_t seed) {
    // torch::nn's constructors draw placeholder weights from the global CPU generator; the
    // seeded init below overwrites them, and the global state is put back.
    MambaModel model = with_torch_rng_restored([&] { return MambaModel(config); });
    mamba_initialize(*model, seed);
    return model;
}

}  // namespace statetrack::model
