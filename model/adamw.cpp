// make_adamw (see adamw.h).
#include "model/adamw.h"

#include <utility>

#include "model/fused_adamw.h"

namespace statetrack::model {

std::unique_ptr<torch::optim::AdamW> make_adamw(const std::vector<ParamGroup>& groups,
                                                const AdamWSettings& settings) {
    std::vector<torch::optim::OptimizerParamGroup> torch_groups;
    for (const ParamGroup& group : groups) {
        auto options = std::make_unique<torch::optim::AdamWOptions>(settings.lr * group.lr_scale);
        options->betas({settings.beta1, settings.beta2})
            .eps(settings.eps)
            .weight_decay(group.weight_decay ? settings.weight_decay : 0.0);
        torch_groups.emplace_back(group.params, std::move(options));
    }
    torch::optim::AdamWOptions defaults(settings.lr);
    defaults.betas({settings.beta1, settings.beta2}).eps(settings.eps).weight_decay(0.0);
    return std::make_unique<FusedAdamW>(std::move(torch_groups), defaults);
}

}  // namespace statetrack::model
