// FusedAdamW: torch::optim::AdamW whose step() updates each parameter in one pass
// (model/adamw_step_cpu.h) instead of about ten LibTorch ops per parameter; at the quick
// experiment's RWKV-7 shape that was ~700 small ops, 4% of a training step.
// Contract: the same options, parameter groups, state (step, exp_avg, exp_avg_sq, keyed as
// AdamW keys them) and serialisation as torch::optim::AdamW, so checkpoints move between the two;
// updates equal AdamW's up to float rounding (tests/model/fused_adamw_test.cpp). step() falls
// back to AdamW::step for a closure, amsgrad, or any parameter that is not a contiguous CPU
// float32/float64 tensor with a gradient of the same layout.
#pragma once

#include <torch/torch.h>

#include <vector>

namespace statetrack::model {

class FusedAdamW : public torch::optim::AdamW {
  public:
    using torch::optim::AdamW::AdamW;

    torch::Tensor step(LossClosure closure = nullptr) override;

  private:
    bool fusable() const;
};

}  // namespace statetrack::model
