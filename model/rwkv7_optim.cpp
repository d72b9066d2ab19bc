// RWKV-7 optimiser grouping (see rwkv7_optim.h).
#include "model/rwkv7_optim.h"

#include "model/adamw.h"

namespace statetrack::model {

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
    AdamWSettings settings;
    settings.lr = options.lr;
    settings.weight_decay = options.weight_decay;
    settings.beta1 = options.beta1;
    settings.beta2 = options.beta2;
    settings.eps = options.eps;
    return make_adamw(rwkv7_param_groups(module), settings);
}

}  // namespace statetrack::model
