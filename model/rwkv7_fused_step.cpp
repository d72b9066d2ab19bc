// Rwkv7FusedStep (see rwkv7_fused_step.h): finds the weights by their RWKV-LM names
// (docs/rwkv7.md §2), so it depends on no private member of the model.
#include "model/rwkv7_fused_step.h"

#include <ATen/Parallel.h>
#include <fmt/format.h>

#include <string>

#include "kernels/autocast.h"
#include "model/rwkv7_model.h"

namespace statetrack::model {
namespace {

class WeightCopier {
  public:
    WeightCopier(const Rwkv7ModelImpl& model, std::vector<torch::Tensor>& storage)
        : params_(model.named_parameters()), storage_(storage) {}

    // The parameter as stored (float32, contiguous).
    const float* plain(const std::string& name) { return keep(find(name).contiguous()); }
    // A torch::nn::Linear weight (out,in) as the kernel's [in][out].
    const float* transposed(const std::string& name) {
        return keep(find(name).t().contiguous());
    }

  private:
    const torch::Tensor& find(const std::string& name) const {
        const torch::Tensor* t = params_.find(name);
        TORCH_CHECK(t != nullptr, "rwkv7 fused step: the model has no parameter ", name);
        return *t;
    }
    // Always a copy (clone), never a view of the parameter: the kernel sees a snapshot.
    const float* keep(const torch::Tensor& t) {
        storage_.push_back(t.detach().to(torch::kFloat32).contiguous().clone());
        return storage_.back().data_ptr<float>();
    }

    torch::OrderedDict<std::string, torch::Tensor> params_;
    std::vector<torch::Tensor>& storage_;
};

Rwkv7StepLayerWeights layer_weights(WeightCopier& copy, int64_t l) {
    const auto name = [l](const char* part) { return fmt::format("blocks.{}.{}", l, part); };
    Rwkv7StepLayerWeights w;
    if (l == 0) {
        w.ln0_weight = copy.plain(name("ln0.weight"));
        w.ln0_bias = copy.plain(name("ln0.bias"));
    }
    w.ln1_weight = copy.plain(name("ln1.weight"));
    w.ln1_bias = copy.plain(name("ln1.bias"));
    w.ln2_weight = copy.plain(name("ln2.weight"));
    w.ln2_bias = copy.plain(name("ln2.bias"));
    for (auto [field, part] : {std::pair{&w.x_r, "att.x_r"}, {&w.x_w, "att.x_w"},
                               {&w.x_k, "att.x_k"}, {&w.x_v, "att.x_v"}, {&w.x_a, "att.x_a"},
                               {&w.x_g, "att.x_g"}, {&w.w0, "att.w0"}, {&w.w1, "att.w1"},
                               {&w.w2, "att.w2"}, {&w.a0, "att.a0"}, {&w.a1, "att.a1"},
                               {&w.a2, "att.a2"}, {&w.v0, "att.v0"}, {&w.v1, "att.v1"},
                               {&w.v2, "att.v2"}, {&w.g1, "att.g1"}, {&w.g2, "att.g2"},
                               {&w.k_k, "att.k_k"}, {&w.k_a, "att.k_a"}, {&w.r_k, "att.r_k"},
                               {&w.ln_x_weight, "att.ln_x.weight"},
                               {&w.ln_x_bias, "att.ln_x.bias"}, {&w.ffn_x_k, "ffn.x_k"}}) {
        *field = copy.plain(name(part));
    }
    for (auto [field, part] : {std::pair{&w.receptance, "att.receptance.weight"},
                               {&w.key, "att.key.weight"}, {&w.value, "att.value.weight"},
                               {&w.output, "att.output.weight"}, {&w.ffn_key, "ffn.key.weight"},
                               {&w.ffn_value, "ffn.value.weight"}}) {
        *field = copy.transposed(name(part));
    }
    return w;
}

// The kernel's sizes and ablation switches, in Rwkv7StepShape's field order.
Rwkv7StepShape step_shape(const Rwkv7Config& c) {
    return {c.vocab_size, c.d_model, c.n_heads(), c.head_size, c.d_ffn(),
            c.dim_w,      c.dim_a,   c.dim_v,     c.dim_g,
            c.diagonal_transition, c.extended_eigenvalues, c.value_residual, c.bonus,
            c.decay_clamp};
}

}  // namespace

bool Rwkv7FusedStep::supports(const Rwkv7ModelImpl& model) {
    for (const torch::Tensor& p : model.parameters()) {
        if (!p.device().is_cpu() || p.scalar_type() != torch::kFloat32) {
            return false;
        }
    }
    return true;
}

Rwkv7FusedStep::Rwkv7FusedStep(const Rwkv7ModelImpl& model) {
    TORCH_CHECK(supports(model), "rwkv7 fused step: needs float32 parameters on the CPU");
    WeightCopier copy(model, storage_);
    weights_.shape = step_shape(model.config());
    weights_.emb = copy.plain("emb.weight");
    for (int64_t l = 0; l < model.config().n_layers; ++l) {
        weights_.layers.push_back(layer_weights(copy, l));
    }
    weights_.ln_out_weight = copy.plain("ln_out.weight");
    weights_.ln_out_bias = copy.plain("ln_out.bias");
    weights_.head = copy.transposed("head.weight");
}

bool Rwkv7FusedStep::accepts(const Rwkv7State& state) const {
    // Autograd needs the op chain, and bf16 autocast asks for bf16 products: both keep it.
    if (torch::GradMode::is_enabled() || kernels::autocast_active(c10::DeviceType::CPU)) {
        return false;
    }
    for (const Rwkv7LayerState& s : state.layers) {
        for (const torch::Tensor* t : {&s.att_x_prev, &s.wkv, &s.ffn_x_prev}) {
            if (!t->device().is_cpu() || t->scalar_type() != torch::kFloat32 ||
                !t->is_contiguous()) {
                return false;
            }
        }
    }
    return true;
}

torch::Tensor Rwkv7FusedStep::step(const torch::Tensor& tokens, Rwkv7State& state) const {
    TORCH_CHECK(accepts(state), "rwkv7 fused step: the state must be float32, contiguous, on the "
                                "CPU, with autograd off");
    const torch::Tensor ids = tokens.to(torch::kInt64).contiguous();
    const int64_t B = ids.size(0);
    const Rwkv7StepShape& shape = weights_.shape;
    const int64_t C = shape.d_model;
    const int64_t HNN = shape.n_heads * shape.head_size * shape.head_size;
    torch::Tensor logits = torch::empty({B, shape.vocab_size}, torch::kFloat32);
    const int64_t* id = ids.data_ptr<int64_t>();
    float* out = logits.data_ptr<float>();
    // Sequences are independent: each thread takes a slice of the batch.
    at::parallel_for(0, B, 1, [&](int64_t b0, int64_t b1) {
        std::vector<Rwkv7StepLayerState> slice;
        for (Rwkv7LayerState& s : state.layers) {
            slice.push_back({s.att_x_prev.data_ptr<float>() + b0 * C,
                             s.wkv.data_ptr<float>() + b0 * HNN,
                             s.ffn_x_prev.data_ptr<float>() + b0 * C});
        }
        rwkv7_step_kernel(weights_, id + b0, b1 - b0, slice, out + b0 * shape.vocab_size);
    });
    return logits;
}

}  // namespace statetrack::model
