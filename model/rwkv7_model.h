// Rwkv7Model: the full RWKV-7 "Goose" language model (docs/rwkv7.md §2), RWKV-LM names:
//   emb (V,C) -> blocks.0 .. blocks.{L-1} -> ln_out -> head (V,C, untied, no bias).
// Two modes over the same parameters:
//   forward(tokens (B,T), state?) runs each layer over the whole chunk (kernels::wkv7);
//   step(tokens (B), state) runs one token in the RNN form (rwkv_v7_demo_rnn.py), as a chain of
//   LibTorch ops: the reference of the fused step that step_logits runs for inference.
// Both return the state after the last token, so chunked forward calls with the state passed
// along equal one call over the concatenation, and steps equal the parallel form.
// Parameters are placeholders after construction: use make_rwkv7_model (rwkv7_init.h) for the
// reference initialisation, or load weights (rwkv7_weights.h).
// Shapes: B batch, T time, C = d_model, V vocab; logits in the parameters' dtype.
// As a SequenceModel (sequence_model.h) it is type "rwkv7", its step state wraps Rwkv7State,
// and its optimiser groups are RWKV-LM's (rwkv7_optim.h).
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "model/rwkv7_block.h"
#include "model/rwkv7_config.h"
#include "model/rwkv7_fused_step.h"
#include "model/rwkv7_state.h"
#include "model/sequence_model.h"

namespace statetrack::model {

struct Rwkv7Output {
    torch::Tensor logits;  // (B,T,V) from forward, (B,V) from step
    Rwkv7State state;      // after the last token; carries autograd history unless detached
};

// What RWKV-7's step mode carries between tokens: the state, and the fused step
// (rwkv7_fused_step.h) built from the weights at start_state when the model supports it (null
// otherwise).
struct Rwkv7StepSession {
    Rwkv7State state;
    std::shared_ptr<const Rwkv7FusedStep> fused;
    int64_t numel_per_sequence() const { return state.numel_per_sequence(); }
};
using Rwkv7StepState = ModelStepState<Rwkv7StepSession>;

class Rwkv7ModelImpl : public SequenceModel {
  public:
    explicit Rwkv7ModelImpl(const Rwkv7Config& config);

    // tokens: (B,T) int64 in [0, V), T >= 1. No state = start of sequence (zeros).
    Rwkv7Output forward(const torch::Tensor& tokens,
                        const c10::optional<Rwkv7State>& state = c10::nullopt);
    // tokens: (B) int64. Streaming inference/decoding, one token per call.
    Rwkv7Output step(const torch::Tensor& tokens, const Rwkv7State& state);

    // A start-of-sequence state matching the parameters' dtype and device.
    Rwkv7State initial_state(int64_t batch_size) const;

    const Rwkv7Config& config() const { return config_; }

    // SequenceModel
    torch::Tensor logits(const torch::Tensor& tokens) override;
    bool has_step_mode() const override { return true; }
    std::unique_ptr<StepState> start_state(int64_t batch_size) const override;
    torch::Tensor step_logits(const torch::Tensor& tokens, StepState& state) override;
    std::string type() const override { return "rwkv7"; }
    nlohmann::json config_json() const override;
    int64_t vocab_size() const override { return config_.vocab_size; }
    std::vector<ParamGroup> param_groups() const override;
    // Heads, FFN and LoRA widths, parameters and state floats (per layer and in all); the state
    // is the same after any number of tokens, so state_length is not used.
    ModelDescription describe(int64_t state_length) const override;

  private:
    Rwkv7Output run(const torch::Tensor& tokens, Rwkv7State state, Rwkv7WkvMode mode);
    void check_tokens(const torch::Tensor& tokens, int64_t dims) const;
    void check_state(const Rwkv7State& state, int64_t batch_size) const;

    Rwkv7Config config_;
    torch::nn::Embedding emb_{nullptr};
    torch::nn::ModuleList blocks_{nullptr};
    std::vector<Rwkv7Block> block_list_;  // typed handles to the modules inside blocks_
    torch::nn::LayerNorm ln_out_{nullptr};
    torch::nn::Linear head_{nullptr};
};
TORCH_MODULE(Rwkv7Model);

}  // namespace statetrack::model
