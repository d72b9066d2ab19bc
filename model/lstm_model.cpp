// LstmModel (see lstm_model.h).
#include "model/lstm_model.h"

#include <fmt/format.h>

#include <stdexcept>
#include <tuple>
#include <utility>
#include <vector>

#include "kernels/embedding.h"
#include "model/lstm_layer.h"

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

LstmLayerWeights LstmModelImpl::layer_weights(int64_t layer) const {
    const auto p = lstm_->named_parameters(false);
    const auto get = [&](const char* name) { return p[fmt::format("{}_l{}", name, layer)]; };
    return {get("weight_ih"), get("weight_hh"), get("bias_ih"), get("bias_hh")};
}

torch::Tensor LstmModelImpl::run_layers(const torch::Tensor& x, torch::Tensor* h,
                                        torch::Tensor* c) {
    if (!lstm_layer_applies(x)) {
        if (h == nullptr) {
            return std::get<0>(lstm_->forward(x));
        }
        auto [out, hc] = lstm_->forward(x, std::make_tuple(*h, *c));
        std::tie(*h, *c) = hc;
        return out;
    }
    torch::Tensor y = x;
    std::vector<torch::Tensor> h_n, c_n;
    for (int64_t l = 0; l < config_.n_layers; ++l) {
        const torch::Tensor h0 = h == nullptr ? torch::Tensor() : (*h)[l];
        const torch::Tensor c0 = c == nullptr ? torch::Tensor() : (*c)[l];
        LstmLayerOutput out = lstm_layer(y, layer_weights(l), h0, c0);
        h_n.push_back(out.h_n);
        c_n.push_back(out.c_n);
        y = out.y;
    }
    if (h != nullptr) {
        *h = torch::stack(h_n);
        *c = torch::stack(c_n);
    }
    return y;
}

torch::Tensor LstmModelImpl::logits(const torch::Tensor& tokens) {
    check_model_tokens(tokens, 2, config_.vocab_size, "lstm");
    return head_(run_layers(kernels::embedding(tokens, emb_->weight), nullptr, nullptr));
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
    return head_(
        run_layers(kernels::embedding(tokens.unsqueeze(1), emb_->weight), &s->h, &s->c).squeeze(1));
}

}  // namespace statetrack::model
