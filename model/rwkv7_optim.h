// RWKV-7's optimiser grouping, which the reference treats as part of the architecture
// (RWKV-LM configure_optimizers, docs/rwkv7.md §10), over named parameters:
//   "lr_2x":    att.w0 (the decay bias): learning rate ×2, no weight decay;
//   "decay":    ≥ 2 dims of size > 1 and ".weight" in the name (projections, emb, head):
//               weight decay, learning rate ×1;
//   "no_decay": everything else (mix coefficients, LoRA matrices w1/w2/..., LayerNorms, r_k):
//               no weight decay, learning rate ×1.
// Groups are returned in that fixed order, each with its lr multiplier, so a trainer's learning
// rate schedule sets group i's lr to schedule(step) · lr_scale.
#pragma once

#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

#include "model/sequence_model.h"

namespace statetrack::model {

using Rwkv7ParamGroup = ParamGroup;  // name: "lr_2x", "decay", "no_decay"

// Groups every parameter of `module` (each in exactly one group).
std::vector<Rwkv7ParamGroup> rwkv7_param_groups(const torch::nn::Module& module);

// Reference AdamW settings: betas (0.9, 0.99), eps 1e-18, weight decay 1e-3 (decay group only).
struct Rwkv7AdamWOptions {
    double lr = 6e-4;
    double weight_decay = 1e-3;
    double beta1 = 0.9;
    double beta2 = 0.99;
    double eps = 1e-18;
};

// AdamW over rwkv7_param_groups(module): param_groups()[i] is group i, with lr = lr·lr_scale.
// Equals make_adamw(rwkv7_param_groups(module), ...) (adamw.h) with the reference settings.
std::unique_ptr<torch::optim::AdamW> make_rwkv7_adamw(const torch::nn::Module& module,
                                                      const Rwkv7AdamWOptions& options);

}  // namespace statetrack::model
