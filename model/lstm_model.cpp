// LstmModel (see lstm_model.h).
#include "model/lstm_model.h"

#include <stdexcept>
#include <tuple>
#include <utility>

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

}  // namespace statetrack::model
