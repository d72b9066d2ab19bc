// Reference selective scan in torch ops (see selective_scan_reference.h). Per step, x_t =
// x[:, t] is (B, D) for u and delta, (B, S) for Bm and Cm; the state h is (B, D, S).
#include "kernels/selective_scan_reference.h"

#include <vector>

namespace statetrack::kernels {

std::tuple<torch::Tensor, torch::Tensor> selective_scan_reference(
    const torch::Tensor& u, const torch::Tensor& delta, const torch::Tensor& A,
    const torch::Tensor& Bm, const torch::Tensor& Cm, const torch::Tensor& Dskip,
    const c10::optional<torch::Tensor>& h0, bool negative_eigenvalues) {
    torch::Tensor h = h0.has_value() && h0->defined()
                          ? h0->to(u.scalar_type())
                          : torch::zeros({u.size(0), u.size(2), A.size(1)}, u.options());
    // unbind, not select per step: the backward of T selects would allocate T full-size zero
    // gradients (O(T²) memory traffic), the backward of one unbind is one stack.
    const std::vector<torch::Tensor> us = u.unbind(1), deltas = delta.unbind(1);
    const std::vector<torch::Tensor> Bs = Bm.unbind(1), Cs = Cm.unbind(1);
    std::vector<torch::Tensor> ys;
    for (size_t t = 0; t < us.size(); ++t) {
        const torch::Tensor u_t = us[t].unsqueeze(-1);          // (B, D, 1)
        const torch::Tensor delta_t = deltas[t].unsqueeze(-1);  // (B, D, 1)
        torch::Tensor a = torch::exp(delta_t * A);              // (B, D, S)
        if (negative_eigenvalues) {
            a = 2 * a - 1;
        }
        h = a * h + delta_t * Bs[t].unsqueeze(1) * u_t;
        ys.push_back((h * Cs[t].unsqueeze(1)).sum(-1) + Dskip * us[t]);
    }
    return {torch::stack(ys, 1), h};
}

}  // namespace statetrack::kernels
