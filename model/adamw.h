// AdamW over a model's parameter groups (SequenceModel::param_groups): group i of the result is
// groups[i], with lr = settings.lr · lr_scale and weight decay only where the group asks for it.
// Trainers that schedule the learning rate set param_groups()[i] lr to schedule(step) · lr_scale.
// The optimiser is a FusedAdamW (model/fused_adamw.h): AdamW's update and state in one pass.
#pragma once

#include <torch/torch.h>

#include <memory>
#include <vector>

#include "model/sequence_model.h"

namespace statetrack::model {

struct AdamWSettings {
    double lr = 1e-3;
    double weight_decay = 0.0;  // applied to groups with weight_decay = true only
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-8;
};

std::unique_ptr<torch::optim::AdamW> make_adamw(const std::vector<ParamGroup>& groups,
                                                const AdamWSettings& settings);

}  // namespace statetrack::model
