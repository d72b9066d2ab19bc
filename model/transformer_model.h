// TransformerModel: the Transformer baseline of the anchors (Delétang et al.'s encoder with swept
// positional encodings, Merrill et al.'s causal decoder; docs/anchors.md §1.1, §1.2):
//   tok_emb (V,C) [+ sinusoidal table | + pos_emb (max_seq_len, C)] -> blocks.0 .. blocks.{L-1}
//   (pre-LN, transformer_block.h) -> ln_f -> head (V,C, untied, no bias).
// Positional encodings: positional_encoding.h. causal = true (default) is a decoder with a
// causal mask and a step mode over a KV cache; causal = false is a bidirectional encoder
// (is_causal() false, no step mode), meant for final-label tasks.
// Step mode: start_state(B) is an empty cache; each step_logits call appends one position per
// layer and attends over the whole prefix, so T steps give the logits of one logits() call over
// the T tokens, for every encoding (positions count from the start of the sequence).
// state_size(T) = floats per sequence the cache holds after T tokens, measured from the real
// cache tensors: 2·L·T·C (keys and values of every layer).
// Parameters are placeholders after construction: make_transformer_model (transformer_init.h)
// gives the GPT-2 style initialisation.
// Shapes: B batch, T time, C = d_model, V vocab; logits in the parameters' dtype.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "model/sequence_model.h"
#include "model/transformer_block.h"
#include "model/transformer_config.h"

namespace statetrack::model {

// The KV caches of every layer for B sequences, all holding `length` positions.
class TransformerStepState : public StepState {
  public:
    int64_t numel_per_sequence() const override;

    int64_t batch_size = 0;
    int64_t length = 0;
    std::vector<TransformerKvCache> layers;
};

class TransformerModelImpl : public SequenceModel {
  public:
    explicit TransformerModelImpl(const TransformerConfig& config);

    const TransformerConfig& config() const { return config_; }

    // SequenceModel
    torch::Tensor logits(const torch::Tensor& tokens) override;
    bool has_step_mode() const override { return config_.causal; }
    std::unique_ptr<StepState> start_state(int64_t batch_size) const override;
    torch::Tensor step_logits(const torch::Tensor& tokens, StepState& state) override;
    int64_t state_size(int64_t seq_len) const override;
    bool is_causal() const override { return config_.causal; }
    std::string type() const override { return "transformer"; }
    nlohmann::json config_json() const override;
    int64_t vocab_size() const override { return config_.vocab_size; }

    torch::nn::Embedding tok_emb{nullptr};
    torch::nn::Embedding pos_emb{nullptr};  // "learned" only
    torch::nn::ModuleList blocks{nullptr};
    std::vector<TransformerBlock> block_list;  // typed handles to the modules inside blocks
    torch::nn::LayerNorm ln_f{nullptr};
    torch::nn::Linear head{nullptr};

  private:
    // tokens (B, T) at positions start .. start+T-1 -> logits (B, T, V); with a state, its
    // caches (holding `start` positions) are extended.
    torch::Tensor run(const torch::Tensor& tokens, TransformerStepState* state);
    torch::Tensor embed(const torch::Tensor& tokens, int64_t start);
    AttentionPositions attention_positions(int64_t start, int64_t count);
    AttentionPositions make_attention_positions(int64_t start, int64_t count) const;

    TransformerConfig config_;
    std::vector<double> alibi_slopes_;
    // Tables of inputs from position 0, by length: training and evaluation call with a few
    // dozen lengths, and building the rotary tables and masks anew took ~1.5% of a step.
    std::map<int64_t, AttentionPositions> positions_from_0_;
};
TORCH_MODULE(TransformerModel);

}  // namespace statetrack::model
