// transformer_attention_core (see transformer_attention_core.h): the reference in torch ops and
// the autograd Function over kernels/attention_cpu.h.
#include "model/transformer_attention_core.h"

#include <cmath>

#include "kernels/attention_cpu.h"
#include "kernels/autocast.h"
#include "kernels/autograd_inputs.h"

namespace statetrack::model {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// The loops' parameters over contiguous tensors (the caller keeps them alive); bias may be empty.
template <typename S>
kernels::AttentionParams<S> params(const torch::Tensor& qkv, int64_t heads,
                                   const torch::Tensor& bias, const torch::Tensor& probs) {
    kernels::AttentionParams<S> p;
    p.B = qkv.size(0), p.T = qkv.size(1), p.H = heads, p.N = qkv.size(2) / 3 / heads;
    p.scale = static_cast<S>(1.0 / std::sqrt(static_cast<double>(p.N)));
    p.qkv = qkv.data_ptr<S>();
    p.bias = bias.numel() > 0 ? bias.data_ptr<S>() : nullptr;
    p.bias_heads = bias.numel() > 0 ? bias.size(0) : 1;
    p.probs = probs.data_ptr<S>();
    return p;
}

// q and k of `qkv` (B, T, 3C) rotated by RoPE (direction +1) or back (-1) into out.
void rope_qk(const torch::Tensor& qkv, torch::Tensor& out, int64_t heads, const torch::Tensor& cos,
             const torch::Tensor& sin, int direction) {
    AT_DISPATCH_FLOATING_TYPES(qkv.scalar_type(), "transformer_attention_core_rope", [&] {
        kernels::rope_qk_cpu(qkv.data_ptr<scalar_t>(), out.data_ptr<scalar_t>(), qkv.size(0),
                             qkv.size(1), heads, qkv.size(2) / 3 / heads, cos.data_ptr<scalar_t>(),
                             sin.data_ptr<scalar_t>(), direction);
    });
}

// The forward loops: y (B, T, C), the probabilities (B, H, T, Tp) and q, k rotated (the qkv the
// heads saw, which the backward reads). cos, sin, bias: empty tensors when absent (autograd
// takes no undefined arguments).
struct ForwardResult {
    torch::Tensor y, probs, rotated;
};
ForwardResult forward_loops(const torch::Tensor& qkv, int64_t heads, const torch::Tensor& cos,
                            const torch::Tensor& sin, const torch::Tensor& bias) {
    const int64_t B = qkv.size(0), T = qkv.size(1), C = qkv.size(2) / 3;
    ForwardResult r{torch::empty({B, T, C}, qkv.options()),
                    torch::empty({B, heads, T, kernels::attention_probs_stride(T)}, qkv.options()),
                    qkv};
    if (cos.numel() > 0) {
        r.rotated = torch::empty_like(qkv);
        rope_qk(qkv, r.rotated, heads, cos, sin, 1);
    }
    AT_DISPATCH_FLOATING_TYPES(qkv.scalar_type(), "transformer_attention_core", [&] {
        kernels::attention_forward_cpu(params<scalar_t>(r.rotated, heads, bias, r.probs),
                                       r.y.data_ptr<scalar_t>());
    });
    return r;
}

class AttentionCoreFunction : public torch::autograd::Function<AttentionCoreFunction> {
  public:
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& qkv, int64_t heads,
                                 const torch::Tensor& cos, const torch::Tensor& sin,
                                 const torch::Tensor& bias) {
        ForwardResult r = forward_loops(qkv, heads, cos, sin, bias);
        ctx->save_for_backward({r.rotated, cos, sin, bias, r.probs});
        ctx->saved_data["heads"] = heads;
        return r.y;
    }

    static variable_list backward(AutogradContext* ctx, variable_list grad_out) {
        TORCH_CHECK(!torch::GradMode::is_enabled(),
                    "transformer_attention_core: double backward (create_graph=true) is not "
                    "supported");
        const variable_list s = ctx->get_saved_variables();
        const int64_t heads = ctx->saved_data["heads"].toInt();
        const torch::Tensor dy = grad_out[0].contiguous();
        torch::Tensor dqkv = torch::empty_like(s[0]);
        AT_DISPATCH_FLOATING_TYPES(dy.scalar_type(), "transformer_attention_core_backward", [&] {
            kernels::attention_backward_cpu(params<scalar_t>(s[0], heads, s[3], s[4]),
                                            dy.data_ptr<scalar_t>(), dqkv.data_ptr<scalar_t>());
        });
        if (s[1].numel() > 0) {
            rope_qk(dqkv, dqkv, heads, s[1], s[2], -1);  // to gradients of q, k before RoPE
        }
        return {dqkv, torch::Tensor(), torch::Tensor(), torch::Tensor(), torch::Tensor()};
    }
};

void check_inputs(const AttentionCoreInputs& in) {
    const torch::Tensor& qkv = in.qkv;
    TORCH_CHECK(qkv.dim() == 3 && in.heads >= 1 && qkv.size(2) % (3 * in.heads) == 0,
                "transformer_attention_core: qkv must be (B, T, 3·H·N) for ", in.heads,
                " heads, got ", qkv.sizes());
    const int64_t T = qkv.size(1), N = qkv.size(2) / 3 / in.heads;
    if (in.rope != nullptr) {
        TORCH_CHECK(N % 2 == 0 && in.rope->cos.sizes() == torch::IntArrayRef({T, N / 2}) &&
                        in.rope->sin.sizes() == in.rope->cos.sizes(),
                    "transformer_attention_core: RoPE tables must be (", T, ", ", N / 2, "), got ",
                    in.rope->cos.sizes());
        TORCH_CHECK(!in.rope->cos.requires_grad() && !in.rope->sin.requires_grad(),
                    "transformer_attention_core: the RoPE tables must not require a gradient");
    }
    if (in.bias.defined()) {
        TORCH_CHECK(in.bias.dim() == 3 && (in.bias.size(0) == 1 || in.bias.size(0) == in.heads) &&
                        in.bias.size(1) == T && in.bias.size(2) == T,
                    "transformer_attention_core: the bias must be (1 or ", in.heads, ", ", T, ", ",
                    T, "), got ", in.bias.sizes());
        TORCH_CHECK(!in.bias.requires_grad(),
                    "transformer_attention_core: the bias must not require a gradient");
    }
}

}  // namespace

AttentionHeads split_attention_heads(const torch::Tensor& qkv, int64_t heads,
                                     const RopeTables* rope) {
    const int64_t B = qkv.size(0), T = qkv.size(1), N = qkv.size(2) / 3 / heads;
    // (B, T, 3, H, N) -> (3, B, H, T, N)
    const torch::Tensor split = qkv.view({B, T, 3, heads, N}).permute({2, 0, 3, 1, 4});
    AttentionHeads h{split[0], split[1], split[2]};
    if (rope != nullptr) {
        h.q = rope_rotate(h.q, *rope);
        h.k = rope_rotate(h.k, *rope);
    }
    return h;
}

torch::Tensor attend(const AttentionHeads& heads, const torch::Tensor& bias, double dropout) {
    const int64_t B = heads.q.size(0), Tq = heads.q.size(2), N = heads.q.size(3);
    torch::Tensor scores =
        torch::matmul(heads.q, heads.k.transpose(-2, -1)) / std::sqrt(static_cast<double>(N));
    if (bias.defined()) {
        scores = scores + bias;  // (H or 1, Tq, Tk) broadcasts over B
    }
    torch::Tensor probs = torch::softmax(scores, -1);
    if (dropout > 0.0) {
        probs = torch::dropout(probs, dropout, /*train=*/true);
    }
    return torch::matmul(probs, heads.v).transpose(1, 2).reshape({B, Tq, -1});
}

torch::Tensor transformer_attention_core_reference(const AttentionCoreInputs& in) {
    check_inputs(in);
    return attend(split_attention_heads(in.qkv, in.heads, in.rope), in.bias);
}

torch::Tensor transformer_attention_core(const AttentionCoreInputs& in) {
    check_inputs(in);
    const torch::Tensor cos = in.rope != nullptr ? in.rope->cos : torch::Tensor();
    const torch::Tensor sin = in.rope != nullptr ? in.rope->sin : torch::Tensor();
    if (!kernels::takes_cpu_loops({in.qkv, cos, sin, in.bias}) ||
        kernels::autocast_active(c10::DeviceType::CPU)) {
        return transformer_attention_core_reference(in);
    }
    const auto present = [&](const torch::Tensor& t) {
        return t.defined() ? t.contiguous() : torch::empty({0}, in.qkv.options());
    };
    const torch::Tensor qkv = in.qkv.contiguous();
    if (torch::GradMode::is_enabled() && qkv.requires_grad()) {
        return AttentionCoreFunction::apply(qkv, in.heads, present(cos), present(sin),
                                            present(in.bias));
    }
    return forward_loops(qkv, in.heads, present(cos), present(sin), present(in.bias)).y;
}

}  // namespace statetrack::model
