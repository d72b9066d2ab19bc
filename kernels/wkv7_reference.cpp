// Reference WKV7 loops in torch ops (see wkv7_reference.h). Per step, x_t = x[:, t] is (B, H, N)
// and the state S is (B, H, N, N) with S[..., i, j], i = value index.
#include "kernels/wkv7_reference.h"

#include <vector>

namespace statetrack::kernels {
namespace {

torch::Tensor initial_state(const torch::Tensor& r, const c10::optional<torch::Tensor>& state0) {
    if (state0.has_value() && state0->defined()) {
        return state0->to(r.scalar_type());
    }
    return torch::zeros({r.size(0), r.size(2), r.size(3), r.size(3)}, r.options());
}

// The loop both forms share: from the initial state, step(S, t) advances S over step t and
// returns y_t (B, H, N); returns (y (B, T, H, N), the final S).
template <typename Step>
std::tuple<torch::Tensor, torch::Tensor> scan_steps(const torch::Tensor& r,
                                                    const c10::optional<torch::Tensor>& state0,
                                                    Step step) {
    torch::Tensor S = initial_state(r, state0);
    std::vector<torch::Tensor> ys;
    for (int64_t t = 0; t < r.size(1); ++t) {
        ys.push_back(step(S, t));
    }
    return {torch::stack(ys, 1), S};
}

}  // namespace

std::tuple<torch::Tensor, torch::Tensor> wkv7_reference(
    const torch::Tensor& r, const torch::Tensor& w, const torch::Tensor& k, const torch::Tensor& v,
    const torch::Tensor& a, const torch::Tensor& b, const c10::optional<torch::Tensor>& state0) {
    return scan_steps(r, state0, [&](torch::Tensor& S, int64_t t) {
        // Key-side vectors broadcast over rows i: x.unsqueeze(2) is (B, H, 1, N).
        const torch::Tensor sa = (S * a.select(1, t).unsqueeze(2)).sum(-1);
        S = S * w.select(1, t).unsqueeze(2) + sa.unsqueeze(-1) * b.select(1, t).unsqueeze(2) +
            v.select(1, t).unsqueeze(-1) * k.select(1, t).unsqueeze(2);
        return (S * r.select(1, t).unsqueeze(2)).sum(-1);
    });
}

std::tuple<torch::Tensor, torch::Tensor> wkv7_reference_matrix(
    const torch::Tensor& r, const torch::Tensor& w, const torch::Tensor& k, const torch::Tensor& v,
    const torch::Tensor& a, const torch::Tensor& b, const c10::optional<torch::Tensor>& state0) {
    return scan_steps(r, state0, [&](torch::Tensor& S, int64_t t) {
        const torch::Tensor a_t = a.select(1, t).unsqueeze(-1);  // (B, H, N, 1) column
        const torch::Tensor b_t = b.select(1, t).unsqueeze(-2);  // (B, H, 1, N) row
        const torch::Tensor transition =
            torch::diag_embed(w.select(1, t)) + torch::matmul(a_t, b_t);
        const torch::Tensor write =
            torch::matmul(v.select(1, t).unsqueeze(-1), k.select(1, t).unsqueeze(-2));
        S = torch::matmul(S, transition) + write;
        return torch::matmul(S, r.select(1, t).unsqueeze(-1)).squeeze(-1);
    });
}

}  // namespace statetrack::kernels
