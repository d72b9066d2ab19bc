// embedding (see embedding.h): index_select forward, a row-scatter backward.
#include "kernels/embedding.h"

#include "kernels/autograd_inputs.h"

namespace statetrack::kernels {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// dweight (V, C) = Σ over positions p of dy[p] in row tokens[p]; dweight starts at zero.
template <typename T>
void scatter_rows(const int64_t* tokens, int64_t positions, const T* dy, int64_t C, T* dweight) {
    for (int64_t p = 0; p < positions; ++p) {
        T* __restrict row = dweight + tokens[p] * C;
        const T* __restrict g = dy + p * C;
        for (int64_t c = 0; c < C; ++c) {
            row[c] += g[c];
        }
    }
}

torch::Tensor gather(const torch::Tensor& tokens, const torch::Tensor& weight) {
    std::vector<int64_t> shape = tokens.sizes().vec();
    shape.push_back(weight.size(1));
    return weight.index_select(0, tokens.reshape({-1})).view(shape);
}

class EmbeddingFunction : public torch::autograd::Function<EmbeddingFunction> {
  public:
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& tokens,
                                 const torch::Tensor& weight) {
        const torch::Tensor flat = tokens.reshape({-1}).contiguous();
        ctx->save_for_backward({flat});
        ctx->saved_data["vocab"] = weight.size(0);
        return gather(tokens, weight);
    }

    static variable_list backward(AutogradContext* ctx, variable_list grad_out) {
        TORCH_CHECK(!torch::GradMode::is_enabled(),
                    "embedding: double backward (create_graph=true) is not supported");
        const torch::Tensor flat = ctx->get_saved_variables()[0];
        const int64_t C = grad_out[0].size(-1);
        const torch::Tensor dy = grad_out[0].reshape({-1, C}).contiguous();
        torch::Tensor dweight = torch::zeros({ctx->saved_data["vocab"].toInt(), C}, dy.options());
        AT_DISPATCH_FLOATING_TYPES(dy.scalar_type(), "embedding_backward", [&] {
            scatter_rows(flat.data_ptr<int64_t>(), flat.numel(), dy.data_ptr<scalar_t>(), C,
                         dweight.data_ptr<scalar_t>());
        });
        return {torch::Tensor(), dweight};
    }
};

}  // namespace

torch::Tensor embedding(const torch::Tensor& tokens, const torch::Tensor& weight) {
    TORCH_CHECK(weight.dim() == 2 && tokens.scalar_type() == torch::kInt64,
                "embedding: expected int64 tokens and a (V, C) weight, got ", tokens.scalar_type(),
                " tokens and a weight of shape ", weight.sizes());
    if (!takes_cpu_loops({weight}) || !tokens.device().is_cpu()) {
        return torch::nn::functional::embedding(tokens, weight);
    }
    if (torch::GradMode::is_enabled() && weight.requires_grad()) {
        return EmbeddingFunction::apply(tokens, weight);
    }
    return gather(tokens, weight);
}

}  // namespace statetrack::kernels
