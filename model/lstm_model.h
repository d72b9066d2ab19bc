// LstmModel: the classical recurrent baseline of the anchors (Delétang et al.: one layer, 256
// units, solves every regular task; Merrill et al.'s RNN solves every word problem with one
// layer). Token embedding (V,C) -> L stacked LSTM layers of C units (torch::nn::LSTM's
// parameters, batch_first; on CPU run by model/lstm_layer.h, one autograd node per layer) ->
// untied head (V,C) with bias. Type "lstm".
// Config keys and defaults: lstm_config.h (n_layers 1, d_model 256).
// Init (seeded): torch's LSTM init U(±1/√C) for every LSTM tensor, N(0, 1) embedding, head
// U(±1/√C) — drawn from torch's CPU generator seeded with `seed` for the duration of the
// construction, so a seed fixes the weights on a machine.
// Step mode: the state is (h, c), each (L, B, C), so state_size = 2·L·C floats per sequence.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "model/lstm_config.h"
#include "model/lstm_layer.h"
#include "model/sequence_model.h"

namespace statetrack::model {

class LstmModelImpl : public SequenceModel {
  public:
    explicit LstmModelImpl(const LstmConfig& config);

    torch::Tensor logits(const torch::Tensor& tokens) override;
    bool has_step_mode() const override { return true; }
    std::unique_ptr<StepState> start_state(int64_t batch_size) const override;
    torch::Tensor step_logits(const torch::Tensor& tokens, StepState& state) override;
    std::string type() const override { return "lstm"; }
    nlohmann::json config_json() const override { return lstm_config_to_json(config_); }
    int64_t vocab_size() const override { return config_.vocab_size; }

  private:
    // The layers over x (B, T, C): model/lstm_layer.h layer by layer where it applies, else the
    // torch::nn::LSTM module (its reference). h, c (L, B, C): the step state, read and replaced,
    // or null for zeros (training and whole-sequence evaluation).
    torch::Tensor run_layers(const torch::Tensor& x, torch::Tensor* h, torch::Tensor* c);
    LstmLayerWeights layer_weights(int64_t layer) const;

    LstmConfig config_;
    torch::nn::Embedding emb_{nullptr};
    torch::nn::LSTM lstm_{nullptr};
    torch::nn::Linear head_{nullptr};
};
TORCH_MODULE(LstmModel);

}  // namespace statetrack::model
