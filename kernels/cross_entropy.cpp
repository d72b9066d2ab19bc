// cross_entropy_loss (see cross_entropy.h): the autograd Function over the CPU loops.
#include "kernels/cross_entropy.h"

#include "kernels/autograd_inputs.h"
#include "kernels/cross_entropy_cpu.h"

namespace statetrack::kernels {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

CrossEntropyShape shape_of(const torch::Tensor& logits, int64_t classes) {
    const int64_t V = logits.size(-1);
    return {V == 0 ? 0 : logits.numel() / V, V, classes};
}

// The loss (a scalar of logits' dtype) and the probabilities (R, classes); logits (R, V) and
// targets (R) contiguous.
struct ForwardResult {
    torch::Tensor loss, probs;
    int64_t scored;
};
ForwardResult forward_loops(const torch::Tensor& logits, const torch::Tensor& targets,
                            int64_t classes) {
    const CrossEntropyShape s = shape_of(logits, classes);
    torch::Tensor probs = torch::empty({s.rows, classes}, logits.options());
    CrossEntropySums sums;
    AT_DISPATCH_FLOATING_TYPES(logits.scalar_type(), "cross_entropy_loss", [&] {
        sums = cross_entropy_forward_cpu(s, logits.data_ptr<scalar_t>(),
                                         targets.data_ptr<int64_t>(), probs.data_ptr<scalar_t>());
    });
    TORCH_CHECK(sums.bad_row < 0, "cross_entropy_loss: target ",
                targets[sums.bad_row].item<int64_t>(), " at position ", sums.bad_row,
                " is neither -1 (not scored) nor a class in [0, ", classes, ")");
    // 0/0 = NaN without a scored position, as LibTorch.
    return {torch::scalar_tensor(sums.loss / static_cast<double>(sums.scored), logits.options()),
            probs, sums.scored};
}

class CrossEntropyFunction : public torch::autograd::Function<CrossEntropyFunction> {
  public:
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& logits,
                                 const torch::Tensor& targets, int64_t classes) {
        ForwardResult r = forward_loops(logits, targets, classes);
        ctx->save_for_backward({r.probs, targets});
        ctx->saved_data["vocab"] = logits.size(1);
        ctx->saved_data["scored"] = r.scored;
        return r.loss;
    }

    static variable_list backward(AutogradContext* ctx, variable_list grad_out) {
        TORCH_CHECK(!torch::GradMode::is_enabled(),
                    "cross_entropy_loss: double backward (create_graph=true) is not supported");
        const variable_list saved = ctx->get_saved_variables();
        const torch::Tensor &probs = saved[0], &targets = saved[1];
        const int64_t vocab = ctx->saved_data["vocab"].toInt();
        const int64_t scored = ctx->saved_data["scored"].toInt();
        const CrossEntropyShape s{probs.size(0), vocab, probs.size(1)};
        torch::Tensor dlogits = torch::empty({s.rows, vocab}, probs.options());
        const double scale = grad_out[0].item<double>() / static_cast<double>(scored);
        AT_DISPATCH_FLOATING_TYPES(probs.scalar_type(), "cross_entropy_loss_backward", [&] {
            cross_entropy_backward_cpu(s, probs.data_ptr<scalar_t>(), targets.data_ptr<int64_t>(),
                                       static_cast<scalar_t>(scale), dlogits.data_ptr<scalar_t>());
        });
        return {dlogits, torch::Tensor(), torch::Tensor()};
    }
};

}  // namespace

torch::Tensor cross_entropy_loss_reference(const torch::Tensor& logits,
                                           const torch::Tensor& targets, int64_t classes) {
    namespace F = torch::nn::functional;
    return F::cross_entropy(logits.narrow(-1, 0, classes).reshape({-1, classes}),
                            targets.reshape({-1}), F::CrossEntropyFuncOptions().ignore_index(-1));
}

torch::Tensor cross_entropy_loss(const torch::Tensor& logits, const torch::Tensor& targets,
                                 int64_t classes) {
    TORCH_CHECK(logits.dim() >= 1 && classes >= 1 && classes <= logits.size(-1) &&
                    targets.scalar_type() == torch::kInt64 &&
                    targets.sizes() == logits.sizes().slice(0, logits.dim() - 1),
                "cross_entropy_loss: needs logits (..., V), int64 targets (...) and 1 <= classes "
                "<= V, got logits ",
                logits.sizes(), ", targets ", targets.sizes(), " ", targets.scalar_type(),
                ", classes ", classes);
    if (!takes_cpu_loops({logits}) || !targets.device().is_cpu()) {
        return cross_entropy_loss_reference(logits, targets, classes);
    }
    const torch::Tensor rows = logits.reshape({-1, logits.size(-1)}).contiguous();
    const torch::Tensor flat = targets.reshape({-1}).contiguous();
    if (torch::GradMode::is_enabled() && logits.requires_grad()) {
        return CrossEntropyFunction::apply(rows, flat, classes);
    }
    return forward_loops(rows, flat, classes).loss;
}

}  // namespace statetrack::kernels
