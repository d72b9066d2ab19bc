// MambaModel: the selective-SSM baseline as a SequenceModel (type "mamba"), Mamba's
// MambaLMHeadModel layout without weight tying:
//   embedding (V, C) -> layers.0 .. layers.{L−1} -> norm_f -> lm_head (V, C, no bias)
// each layer a pre-norm residual block  x = x + mixer(norm(x))  with RMSNorm (eps 1e-5, weight
// only, as Mamba's rms_norm=True configs) and a MambaMixer (mamba_mixer.h).
// logits() runs the chunk in parallel (the scan op); step mode runs one token at a time from a
// MambaState holding per layer the convolution window (B, E, K − 1) and the scan state
// (B, E, S), so state_size(T) = L·E·(K − 1 + S) for every T.
// Shapes: B batch, T time, C = d_model, V vocab, E = expand·C, S = d_state, K = d_conv.
//
// Initialisation (make_mamba_model / mamba_initialize), Mamba's (mamba_simple.py and
// MambaLMHeadModel._init_weights), drawn in float64 in parameter registration order from a
// local torch CPU generator seeded with `seed` (at::CPUGeneratorImpl), then copied into the
// parameters' dtype, so a seed fixes the weights. make_mamba_model leaves torch's global
// generator as it found it (the torch::nn constructors draw from it; their values are all
// overwritten):
//   embedding N(0, 0.02);  every norm weight 1;  lm_head U(±1/√C)
//   in_proj, x_proj U(±1/√fan_in);  conv1d weight and bias U(±1/√K)
//   dt_proj weight U(±R^−1/2), bias softplus⁻¹(dt) with dt log-uniform in [1e-3, 1e-1]
//   A_log = log(1 .. S) per channel (S4D-real);  D = 1;  out_proj U(±1/√E)/√L
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "model/mamba_config.h"
#include "model/mamba_mixer.h"
#include "model/sequence_model.h"

namespace statetrack::model {

struct MambaState {
    std::vector<MambaLayerState> layers;
    // Floats held per sequence, counted from the tensors: L·E·(K − 1 + S).
    int64_t numel_per_sequence() const;
};

using MambaStepState = ModelStepState<MambaState>;

// RMSNorm over the last dimension: x / √(mean(x²) + eps) · weight.
class MambaRmsNormImpl : public torch::nn::Module {
  public:
    explicit MambaRmsNormImpl(int64_t dim, double eps = 1e-5);
    torch::Tensor forward(const torch::Tensor& x);
    torch::Tensor weight;

  private:
    double eps_;
};
TORCH_MODULE(MambaRmsNorm);

// One pre-norm residual layer: x + mixer(norm(x)).
class MambaBlockImpl : public torch::nn::Module {
  public:
    explicit MambaBlockImpl(const MambaConfig& config);
    torch::Tensor forward(const torch::Tensor& x);                       // (B, T, C)
    torch::Tensor step(const torch::Tensor& x, MambaLayerState& state);  // (B, C)
    MambaRmsNorm norm{nullptr};
    MambaMixer mixer{nullptr};
};
TORCH_MODULE(MambaBlock);

class MambaModelImpl : public SequenceModel {
  public:
    explicit MambaModelImpl(const MambaConfig& config);

    const MambaConfig& config() const { return config_; }
    // A start-of-sequence state matching the parameters' dtype and device.
    MambaState initial_state(int64_t batch_size) const;
    // Per layer, the eigenvalues its scan applies over tokens (B, T): (B, T, E, S) each
    // (MambaMixer::transitions on that layer's input).
    std::vector<torch::Tensor> transitions(const torch::Tensor& tokens);

    // SequenceModel
    torch::Tensor logits(const torch::Tensor& tokens) override;
    bool has_step_mode() const override { return true; }
    std::unique_ptr<StepState> start_state(int64_t batch_size) const override;
    torch::Tensor step_logits(const torch::Tensor& tokens, StepState& state) override;
    std::string type() const override { return "mamba"; }
    nlohmann::json config_json() const override;
    int64_t vocab_size() const override { return config_.vocab_size; }

    // For initialisation: the layers in order.
    const std::vector<MambaBlock>& blocks() const { return block_list_; }

  private:
    void check_state(const MambaState& state, int64_t batch_size) const;

    MambaConfig config_;
    torch::nn::Embedding embedding_{nullptr};
    torch::nn::ModuleList layers_{nullptr};
    std::vector<MambaBlock> block_list_;  // typed handles to the modules inside layers_
    MambaRmsNorm norm_f_{nullptr};
    torch::nn::Linear lm_head_{nullptr};
};
TORCH_MODULE(MambaModel);

// Overwrites every parameter of `model` with Mamba's initialisation for `seed` (see above).
void mamba_initialize(MambaModelImpl& model, uint64_t seed);

// A float32 CPU model with Mamba's initialisation.
MambaModel make_mamba_model(const MambaConfig& config, uint64_t seed);

}  // namespace statetrack::model
