// RWKV-7 optimiser grouping (see rwkv7_optim.h).
#include "model/rwkv7_optim.h"

namespace statetrack::model {
namespace {

// RWKV-LM tests len(p.squeeze().shape) >= 2: dimensions of size 1 do not count.
int64_t squeezed_dims(const torch::Tensor& p) {
    int64_t dims = 0;
    for (const int64_t size : p.sizes()) {
        dims += size > 1 ? 1 : 0;
    }
    return dims;
}

}  // namespace

std::vector<Rwkv7ParamGroup> rwkv7_param_groups(const torch::nn::Module& module) {
    std::vector<Rwkv7ParamGroup> groups(3);
    groups[0].name = "lr_2x";
    groups[0].lr_scale = 2.0;
    groups[1].name = "decay";
    groups[1].weight_decay = true;
    groups[2].name = "no_decay";
    for (const auto& item : module.named_parameters()) {
        const std::string& name = item.key();
        size_t index = 2;
        if (name.find("att.w0") != std::string::npos) {
            index = 0;
        } else if (squeezed_dims(item.value()) >= 2 && name.find(".weight") != std::string::npos) {
            index = 1;
        }
        groups[index].param_names.push_back(name);
        groups[index].params.push_back(item.value());
    }
    return groups;
}

std::unique_ptr<torch::optim::AdamW> make_rwkv7_adamw(const torch::nn::Module& module,
                                                      const Rwkv7AdamWOptions& options) {
    std::vector<torch::optim::OptimizerParamGroup> torch_groups;
    for (const Rwkv7ParamGroup& group : rwkv7_param_groups(module)) {
        auto group_options =
            std::make_unique<torch::optim::AdamWOptions>(options.lr * group.lr_scale);
        group_options->betas({options.beta1, options.beta2})
            .eps(options.eps)
            .weight_decay(group.weight_decay ? options.weight_decay : 0.0);
        torch_groups.emplace_back(group.params, std::move(group_options));
    }
    torch::optim::AdamWOptions defaults(options.lr);
    defaults.betas({options.beta1, options.beta2}).eps(options.eps).weight_decay(0.0);
    return std::make_unique<torch::optim::AdamW>(std::move(torch_groups), defaults);
}

}  // namespace statetrack::model
