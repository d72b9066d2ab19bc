// MambaMixer: the selective-SSM token mixer of a Mamba block (Gu & Dao 2023, mamba_simple.py),
// with Mamba's parameter names:
//   in_proj  Linear C → 2E, no bias            x and the gate z
//   conv1d   depthwise causal Conv1d over x, E channels, kernel d_conv, with bias; then SiLU
//   x_proj   Linear E → R + 2S, no bias        dt (R = dt_rank), Bm (S), Cm (S)
//   dt_proj  Linear R → E, with bias           delta = softplus(dt_proj(dt))
//   A_log    (E, S)                            A = −exp(A_log)
//   D        (E)                               skip connection
//   out_proj Linear E → C, no bias
// y = selective_scan(x, delta, A, Bm, Cm, D) ⊙ SiLU(z), out = out_proj(y), the scan in its
// positive or negative eigenvalue mode (config.negative_eigenvalues, kernels/selective_scan.h).
// Parameters are placeholders after construction; reset_parameters sets Mamba's init.
//
// Two modes over the same parameters: forward() runs a whole chunk from the start of the
// sequence (the scan as the kernels op); step() runs one token from a MambaLayerState, in
// torch ops (an independent check of the op and of the convolution's window).
// Shapes: B batch, T time, C = d_model, E = expand·C, S = d_state, R = dt_rank, K = d_conv.
#pragma once

#include <ATen/core/Generator.h>
#include <torch/torch.h>

#include <cstdint>
#include <utility>

#include "model/mamba_config.h"

namespace statetrack::model {

// One layer's recurrent state, in the model's dtype.
struct MambaLayerState {
    torch::Tensor conv;  // (B, E, K − 1): the last K − 1 inputs of the convolution, oldest first
    torch::Tensor ssm;   // (B, E, S): the scan state h
};

class MambaMixerImpl : public torch::nn::Module {
  public:
    explicit MambaMixerImpl(const MambaConfig& config);

    // x (B, T, C), the block's normalised input -> the residual update (B, T, C).
    torch::Tensor forward(const torch::Tensor& x);
    // x (B, C), one token -> (B, C); advances state.
    torch::Tensor step(const torch::Tensor& x, MambaLayerState& state);
    // The eigenvalues a_t = exp(delta_t·A) (or 2·exp(delta_t·A) − 1) the scan applies to each
    // state entry for input x (B, T, C): (B, T, E, S). For tests and analysis.
    torch::Tensor transitions(const torch::Tensor& x);

    // A start-of-sequence (zero) state; `options` gives the dtype and device.
    MambaLayerState zero_state(int64_t batch_size, const torch::TensorOptions& options) const;

    // Mamba's initialisation (mamba_model.h lists it), drawn from gen in float64.
    void reset_parameters(at::Generator& gen, int64_t n_layers);

  private:
    // The scan's inputs for the convolved, activated x: xc (..., E) -> delta (..., E),
    // Bm, Cm (..., S).
    struct Projected {
        torch::Tensor delta, Bm, Cm;
    };
    Projected project(const torch::Tensor& xc);
    // in_proj and the causal convolution over a whole chunk: xc (B, T, E) and z (B, T, E).
    std::pair<torch::Tensor, torch::Tensor> conv_input(const torch::Tensor& x);
    torch::Tensor A() const;

    MambaConfig config_;
    torch::nn::Linear in_proj_{nullptr}, x_proj_{nullptr}, dt_proj_{nullptr}, out_proj_{nullptr};
    torch::nn::Conv1d conv1d_{nullptr};
    torch::Tensor A_log_, D_;
};
TORCH_MODULE(MambaMixer);

}  // namespace statetrack::model
