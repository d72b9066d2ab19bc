// FusedAdamW (see fused_adamw.h).
#include "model/fused_adamw.h"

#include <cmath>
#include <memory>
#include <sstream>
#include <string>
#include <type_traits>

#include "model/adamw_step_cpu.h"

namespace statetrack::model {
namespace {

using torch::optim::AdamWOptions;
using torch::optim::AdamWParamState;

bool fusable_tensor(const torch::Tensor& p) {
    const torch::Tensor& g = p.grad();
    const auto dtype = p.scalar_type();
    return p.device().is_cpu() && p.is_contiguous() && !g.is_sparse() && g.is_contiguous() &&
           g.scalar_type() == dtype && g.device().is_cpu() &&
           (dtype == torch::kFloat32 || dtype == torch::kFloat64);
}

// AdamW's key for p's state: LibTorch 1.13 keys by the TensorImpl's address printed as a string
// (c10::guts::to_string, gone in 2.x), LibTorch 2.x by the address itself.
template <typename Key>
Key adamw_state_key(const torch::Tensor& p) {
    if constexpr (std::is_same_v<Key, std::string>) {
        std::ostringstream key;
        key << p.unsafeGetTensorImpl();
        return key.str();
    } else {
        return p.unsafeGetTensorImpl();
    }
}

}  // namespace

bool FusedAdamW::fusable() const {
    for (const auto& group : param_groups_) {
        if (static_cast<const AdamWOptions&>(group.options()).amsgrad()) {
            return false;
        }
        for (const torch::Tensor& p : group.params()) {
            if (p.grad().defined() && !fusable_tensor(p)) {
                return false;
            }
        }
    }
    return true;
}

torch::Tensor FusedAdamW::step(LossClosure closure) {
    if (closure != nullptr || !fusable()) {
        return torch::optim::AdamW::step(std::move(closure));
    }
    torch::NoGradGuard no_grad;
    for (auto& group : param_groups_) {
        const auto& options = static_cast<const AdamWOptions&>(group.options());
        const auto [beta1, beta2] = options.betas();
        for (torch::Tensor& p : group.params()) {
            if (!p.grad().defined()) {
                continue;
            }
            // AdamW's state key and lazy initialisation, so that checkpoints are interchangeable.
            const auto key = adamw_state_key<std::decay_t<decltype(state_)>::key_type>(p);
            auto found = state_.find(key);
            if (found == state_.end()) {
                auto state = std::make_unique<AdamWParamState>();
                state->step(0);
                state->exp_avg(torch::zeros_like(p, torch::MemoryFormat::Preserve));
                state->exp_avg_sq(torch::zeros_like(p, torch::MemoryFormat::Preserve));
                found = state_.emplace(key, std::move(state)).first;
            }
            auto& state = static_cast<AdamWParamState&>(*found->second);
            state.step(state.step() + 1);
            const double t = static_cast<double>(state.step());
            AdamWStepScalars s;
            s.decay_factor = 1 - options.lr() * options.weight_decay();
            s.beta1 = beta1;
            s.beta2 = beta2;
            s.sqrt_bias_correction2 = std::sqrt(1 - std::pow(beta2, t));
            s.eps = options.eps();
            s.step_size = options.lr() / (1 - std::pow(beta1, t));
            AT_DISPATCH_FLOATING_TYPES(p.scalar_type(), "fused_adamw", [&] {
                adamw_step_cpu<scalar_t>(p.data_ptr<scalar_t>(), p.grad().data_ptr<scalar_t>(),
                                         state.exp_avg().data_ptr<scalar_t>(),
                                         state.exp_avg_sq().data_ptr<scalar_t>(), p.numel(), s);
            });
        }
    }
    return {};
}

}  // namespace statetrack::model
