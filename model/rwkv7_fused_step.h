// Rwkv7FusedStep: the fused step kernel (rwkv7_step_kernel.h) bound to one RWKV-7 model's
// weights, for fast token-by-token inference (step mode, `model forward --step`).
// Contract:
//  - Construction copies the weights into the kernel's float32 layout: a snapshot, so it must be
//    rebuilt after the weights change (Rwkv7Model::start_state builds one per step session).
//  - supports(model): the model's parameters are float32 on the CPU. step() also needs a
//    float32 CPU state, no autograd (GradMode off), no bf16 autocast and tokens in [0, V);
//    step_logits falls back to the op-chain reference (Rwkv7Model::step) otherwise.
//  - step(tokens (B) int64, state) advances the state in place and returns logits (B,V); the
//    batch is split over LibTorch's intra-op threads.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "model/rwkv7_state.h"
#include "model/rwkv7_step_kernel.h"

namespace statetrack::model {

class Rwkv7ModelImpl;

class Rwkv7FusedStep {
  public:
    explicit Rwkv7FusedStep(const Rwkv7ModelImpl& model);

    static bool supports(const Rwkv7ModelImpl& model);
    // Whether step() can run on this state now (dtype, device, layout, grad mode).
    bool accepts(const Rwkv7State& state) const;
    torch::Tensor step(const torch::Tensor& tokens, Rwkv7State& state) const;

  private:
    std::vector<torch::Tensor> storage_;  // the float32 copies the pointers below point into
    Rwkv7StepWeights weights_;
};

}  // namespace statetrack::model
