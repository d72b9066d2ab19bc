// SequenceModel: the one interface every model the harness trains implements (RWKV-7 and its
// ablations, Transformer, LSTM, selective SSM). The harness never sees a concrete model type:
// it builds models with make_sequence_model (model_factory.h) and calls only what is here.
//
// Contract (B batch, T time, V vocab):
//   logits(tokens (B,T) int64 in [0,V)) -> (B,T,V), parallel over the whole chunk. A causal
//     model's logits at t depend on tokens <= t only (is_causal()); a bidirectional encoder
//     (is_causal() == false) may read the whole sequence and is only meant for final-label tasks.
//   Step mode (has_step_mode()): start_state(B) gives the state before the first token;
//     step_logits(tokens (B), state) -> (B,V) consumes one token per sequence and advances the
//     state. Feeding a sequence token by token gives the same logits as logits() over it.
//   state_size(T): floats held per sequence by the step state after T tokens, counted from the
//     real state tensors (constant for recurrent models, growing with T for a KV cache);
//     0 for a model without step mode.
//   parameter_count(): from the registered tensors.
//   config_json(): the resolved config with its "type" key; make_sequence_model(config_json())
//     rebuilds the same architecture.
//   describe(T): what `statetrack model info` and `model import` print (docs/cli.md), as JSON
//     (--json) and as text. The default gives the type, the resolved config, the parameter
//     count, causality, step mode and state_size(T); RWKV-7 gives its own architecture summary.
// Every tensor a model creates follows its parameters' dtype and device, so `model->to(kFloat64)`
// gives a float64 model (the tests' reference precision).
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace statetrack::model {

// A recurrent state for B sequences, opaque to the harness.
class StepState {
  public:
    virtual ~StepState() = default;
    // Floats held per sequence, counted from the real tensors.
    virtual int64_t numel_per_sequence() const = 0;
};

// A model's own state type S (with numel_per_sequence()) as the opaque StepState it hands out:
// start_state returns a ModelStepState<S>, step_logits gets the S back with model_step_state.
template <typename S>
class ModelStepState : public StepState {
  public:
    explicit ModelStepState(S state) : state(std::move(state)) {}
    int64_t numel_per_sequence() const override { return state.numel_per_sequence(); }
    S state;
};

// The S inside `state`; throws std::invalid_argument "<who>: step_logits needs the state from
// start_state()" when `state` is not a ModelStepState<S> (e.g. another model type's).
template <typename S>
S& model_step_state(StepState& state, const std::string& who) {
    auto* own = dynamic_cast<ModelStepState<S>*>(&state);
    if (own == nullptr) {
        throw std::invalid_argument(who + ": step_logits needs the state from start_state()");
    }
    return own->state;
}

// A model's summary for the CLI: the JSON printed with --json (dump(2)) and the text otherwise.
struct ModelDescription {
    nlohmann::json json;
    std::string text;
};

// One optimiser parameter group: trainers set lr = schedule(step) · lr_scale and apply weight
// decay only where weight_decay is true.
struct ParamGroup {
    std::string name;
    double lr_scale = 1.0;
    bool weight_decay = false;
    std::vector<std::string> param_names;
    std::vector<torch::Tensor> params;
};

class SequenceModel : public torch::nn::Module {
  public:
    virtual torch::Tensor logits(const torch::Tensor& tokens) = 0;

    virtual bool has_step_mode() const { return false; }
    virtual std::unique_ptr<StepState> start_state(int64_t batch_size) const;
    virtual torch::Tensor step_logits(const torch::Tensor& tokens, StepState& state);
    virtual int64_t state_size(int64_t seq_len) const;

    virtual bool is_causal() const { return true; }
    virtual std::string type() const = 0;
    virtual nlohmann::json config_json() const = 0;
    virtual int64_t vocab_size() const = 0;
    virtual ModelDescription describe(int64_t state_length) const;

    // Default grouping: "decay" = parameters named *.weight with >= 2 dimensions of size > 1
    // (projections, embeddings, heads), "no_decay" = everything else (biases, norms, scalars).
    // RWKV-7 overrides it with RWKV-LM's grouping (rwkv7_optim.h).
    virtual std::vector<ParamGroup> param_groups() const;

    int64_t parameter_count() const;
    torch::TensorOptions options() const;  // the parameters' dtype and device
};

using SequenceModelPtr = std::shared_ptr<SequenceModel>;

// Checks tokens: defined, int64, `dims` dimensions ((B,T) = 2, (B) = 1), non-empty, every value
// in [0, vocab_size). Throws std::invalid_argument starting with `who`.
void check_model_tokens(const torch::Tensor& tokens, int64_t dims, int64_t vocab_size,
                        const std::string& who);

// "[2, 3] Float", or "an undefined tensor", for error messages.
std::string describe_tensor(const torch::Tensor& t);

// A step state's tensor check (the models' check_state): unless t is defined, of shape
// `expected` and of `dtype`, throws std::invalid_argument
// "<who>: <what> must be <expected> <dtype>, got <describe_tensor(t)>".
void check_state_tensor(const torch::Tensor& t, const std::vector<int64_t>& expected,
                        torch::ScalarType dtype, const std::string& who, const std::string& what);

// Counts dimensions of size > 1 (RWKV-LM's len(p.squeeze().shape)).
int64_t squeezed_dims(const torch::Tensor& p);

}  // namespace statetrack::model
