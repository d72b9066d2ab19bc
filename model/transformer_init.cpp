// The Transformer baseline's initialisation (see transformer_init.h).
#include "model/transformer_init.h"

#include <ATen/CPUGeneratorImpl.h>

#include <cmath>
#include <string>

#include "model/seeded_init.h"

namespace statetrack::model {
namespace {

bool ends_with(const std::string& name, const std::string& suffix) {
    return name.size() >= suffix.size() &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// N(0, std) drawn on the CPU in float32, whatever the model's dtype and device, so a seed gives
// the same weights on any dtype/device (for one LibTorch build).
void fill_normal(torch::Tensor& p, double std, at::Generator& generator) {
    torch::Tensor draw = torch::empty(p.sizes(), torch::kFloat32);
    draw.normal_(0.0, std, generator);
    p.copy_(draw);
}

}  // namespace

void transformer_initialize(TransformerModelImpl& model, uint64_t seed) {
    torch::NoGradGuard no_grad;
    at::Generator generator = at::detail::createCPUGenerator(seed);
    const double residual_std =
        kTransformerInitStd / std::sqrt(2.0 * static_cast<double>(model.config().n_layers));
    // named_modules() is in registration order, which fixes the order of the draws.
    for (const auto& item : model.named_modules()) {
        const std::string& name = item.key();
        torch::nn::Module& module = *item.value();
        if (auto* linear = module.as<torch::nn::Linear>()) {
            const bool residual = ends_with(name, ".attn.out") || ends_with(name, ".proj");
            fill_normal(linear->weight, residual ? residual_std : kTransformerInitStd, generator);
            if (linear->bias.defined()) {
                linear->bias.zero_();
            }
        } else if (auto* embedding = module.as<torch::nn::Embedding>()) {
            fill_normal(embedding->weight, kTransformerInitStd, generator);
        } else if (auto* norm = module.as<torch::nn::LayerNorm>()) {
            norm->weight.fill_(1.0);
            norm->bias.zero_();
        }
    }
}

TransformerModel make_transformer_model(const TransformerConfig& config, uint64_t seed) {
    // torch::nn's constructors draw placeholder weights from the global CPU generator; the
    // seeded init below overwrites them, and the global state is put back.
    TransformerModel model = with_torch_rng_restored([&] { return TransformerModel(config); });
    transformer_initialize(*model, seed);
    return model;
}

}  // namespace statetrack::model
