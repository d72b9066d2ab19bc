// LstmModel (see lstm_model.h).
#include "model/lstm_model.h"

#include <fmt/format.h>

#include <stdexcept>
#include <tuple>
#include <utility>

#include "core/json_config.h"
#include "model/seeded_init.h"

namespace statetrack::model {
namespace {

class LstmStepState : public StepState {
  public:
    LstmStepState(torch::Tensor h, torch::Tensor c) : h(std::move(h)), c(std::move(c)) {}
    int64_t numel_per_sequence() const override {
        return (h.numel() + c.numel()) / h.size(1);  // (L,B,C) each
    }
    torch::Tensor h, c;
};

}  // namespace

LstmConfig lstm_config_from_json(const nlohmann::json& json) {
    const core::JsonConfigReader in(json, "lstm config",
                                    {"type", "vocab_size", "n_layers", "d_model"});
    if (in.string("type", "") != "lstm") {
        in.fail("type", "must be \"lstm\"");
    }
    LstmConfig c;
    c.vocab_size = in.required_integer("vocab_size");
    c.n_layers = in.integer("n_layers", c.n_layers);
    c.d_model = in.integer("d_model", c.d_model);
    if (c.vocab_size < 1) {
        in.fail("vocab_size", fmt::format("= {} must be >= 1", c.vocab_size));
    }
    if (c.n_layers < 1) {
        in.fail("n_layers", fmt::format("= {} must be >= 1", c.n_layers));
    }
    if (c.d_model < 1) {
        in.fail("d_model", fmt::format("= {} must be >= 1", c.d_model));
    }
    return c;
}

nlohmann::json lstm_config_to_json(const LstmConfig& c) {
    return {{"type", "lstm"},
            {"vocab_size", c.vocab_size},
            {"n_layers", c.n_layers},
            {"d_model", c.d_model}};
}

LstmModelImpl::LstmModelImpl(const LstmConfig& config) : config_(config) {
    const int64_t C = config_.d_model;
    emb_ = register_module("emb", torch::nn::Embedding(config_.vocab_size, C));
    lstm_ = register_module(
        "lstm", torch::nn::LSTM(
                    torch::nn::LSTMOptions(C, C).num_layers(config_.n_layers).batch_first(true)));
    head_ = register_module("head", torch::nn::Linear(C, config_.vocab_size));
}

torch::Tensor LstmModelImpl::logits(const torch::Tensor& tokens) {
    check_model_tokens(tokens, 2, config_.vocab_size, "lstm");
    return head_(std::get<0>(lstm_->forward(emb_(tokens))));
}

std::unique_ptr<StepState> LstmModelImpl::start_state(int64_t batch_size) const {
    const auto zeros = torch::zeros({config_.n_layers, batch_size, config_.d_model}, options());
    return std::make_unique<LstmStepState>(zeros, zeros.clone());
}

torch::Tensor LstmModelImpl::step_logits(const torch::Tensor& tokens, StepState& state) {
    check_model_tokens(tokens, 1, config_.vocab_size, "lstm");
    auto* s = dynamic_cast<LstmStepState*>(&state);
    if (s == nullptr || s->h.size(1) != tokens.size(0)) {
        throw std::invalid_argument(
            "lstm: step_logits needs a state from start_state(B) of this batch size");
    }
    auto [out, hc] = lstm_->forward(emb_(tokens.unsqueeze(1)), std::make_tuple(s->h, s->c));
    std::tie(s->h, s->c) = hc;
    return head_(out.squeeze(1));
}

SequenceModelPtr make_lstm_model_from_json(const nlohmann::json& config, uint64_t seed) {
    const LstmConfig c = lstm_config_from_json(config);
    return with_seeded_torch_rng(seed, [&] { return LstmModel(c).ptr(); });
}

}  // namespace statetrack::model
