// Rwkv7TimeMix: RWKV-7's attention replacement (RWKV_Tmix_x070, docs/rwkv7.md §3), with
// RWKV-LM's parameter names so that safetensors files map one to one:
//   x_r x_w x_k x_v x_a x_g (1,1,C)  token-shift mix coefficients μ
//   w0 (1,1,C), w1 (C,Dw), w2 (Dw,C) decay LoRA, tanh inside
//   a0, a1 (C,Da), a2                in-context learning rate a = sigmoid(a0 + x a1 a2)
//   v0, v1 (C,Dv), v2                value-residual gate toward layer 0's v (unused in layer 0,
//                                    kept so every layer has RWKV-LM's names)
//   g1 (C,Dg), g2 (Dg,C)             output gate sigmoid(x g1) g2
//   k_k, k_a (1,1,C), r_k (H,N)      removal-key scale ξ, replacement rate α, bonus ρ
//   receptance key value output      Linear C→C, no bias; ln_x GroupNorm(H, C, eps 64e-5)
// Parameters are placeholders after construction; rwkv7_init.h sets the reference values.
// Shapes: x (B,T,C) is ln1's output; v_first (B,T,C); the op gets (B,T,H,N) in the WKV dtype.
#pragma once

#include <torch/torch.h>

#include <cstdint>

#include "model/rwkv7_config.h"
#include "model/rwkv7_state.h"

namespace statetrack::model {

// Parallel: one kernels::wkv7 call over the chunk. Recurrent: a per-token loop in torch ops,
// the RNN form of rwkv_v7_demo_rnn.py (used by step(), and an independent check of the op).
enum class Rwkv7WkvMode { kParallel, kRecurrent };

// What the time mix feeds the WKV recurrence for a chunk, (B,T,C) before the head split
// (model/rwkv7_wkv_operands.h). The transition per head is diag(decay) + a bᵀ with a = −κ̂,
// b = κ̂ ⊙ iclr (a = b = 0 for the diagonal ablation); tests read these to check the ablation
// switches.
struct Rwkv7WkvInputs {
    torch::Tensor r, decay, k, v;  // k is the replacement key k̃, v after the value residual
    torch::Tensor a, b;            // the transition's rank-one pair
    torch::Tensor gate;            // output gate g
};

class Rwkv7TimeMixImpl : public torch::nn::Module {
  public:
    Rwkv7TimeMixImpl(const Rwkv7Config& config, int64_t layer_id);

    // Returns the block's residual update (B,T,C). Layer 0 sets v_first; later layers read it.
    // Updates state.att_x_prev and state.wkv to the state after the last token.
    torch::Tensor forward(const torch::Tensor& x, torch::Tensor& v_first, Rwkv7LayerState& state,
                          Rwkv7WkvMode mode);

    // x: ln1's output (B,T,C); x_prev (B,C) the token before x. Layer 0 sets v_first.
    Rwkv7WkvInputs wkv_inputs(const torch::Tensor& x, torch::Tensor& v_first,
                              const torch::Tensor& x_prev);

  private:
    torch::Tensor wkv(const Rwkv7WkvInputs& in, torch::Tensor& wkv_state, Rwkv7WkvMode mode) const;

    Rwkv7Config config_;
    int64_t layer_id_;
    int64_t n_heads_;
    int64_t head_size_;
    torch::Tensor x_r_, x_w_, x_k_, x_v_, x_a_, x_g_;
    torch::Tensor w0_, w1_, w2_, a0_, a1_, a2_, v0_, v1_, v2_, g1_, g2_;
    torch::Tensor k_k_, k_a_, r_k_;
    torch::nn::Linear receptance_{nullptr}, key_{nullptr}, value_{nullptr}, output_{nullptr};
    torch::nn::GroupNorm ln_x_{nullptr};
};
TORCH_MODULE(Rwkv7TimeMix);

}  // namespace statetrack::model
