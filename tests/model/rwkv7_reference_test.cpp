// The whole model against an independent per-token float64 reference written from RWKV-LM's
// rwkv_v7_numpy.py (docs/rwkv7.md §8): 1-D vectors, explicit matrices W·x, ln0 folded into
// the embedding, per-head GroupNorm by hand. It reads the tensors by their RWKV-LM names, so it
// shares no code with the torch::nn modules.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model/rwkv7_weights.h"
#include "rwkv7_test_util.h"

namespace statetrack::model {
namespace {

using torch::Tensor;

class NumpyStyleRwkv7 {
  public:
    NumpyStyleRwkv7(const NamedTensors& tensors, const Rwkv7Config& c) : c_(c) {
        for (const auto& item : tensors) {
            p_.emplace(item.first, item.second.to(torch::kFloat64));
        }
        for (int64_t l = 0; l < c.n_layers; ++l) {
            att_x_.push_back(torch::zeros({c.d_model}, torch::kFloat64));
            ffn_x_.push_back(torch::zeros({c.d_model}, torch::kFloat64));
            S_.push_back(torch::zeros({c.n_heads(), c.head_size, c.head_size}, torch::kFloat64));
        }
    }

    Tensor step(int64_t token) {
        Tensor x = layer_norm(p_.at("emb.weight")[token], "blocks.0.ln0");
        Tensor v0;
        for (int64_t l = 0; l < c_.n_layers; ++l) {
            const std::string b = "blocks." + std::to_string(l) + ".";
            x = x + time_mixing(layer_norm(x, b + "ln1"), v0, l);
            const Tensor xx = layer_norm(x, b + "ln2");
            const Tensor k = xx + vec(b + "ffn.x_k") * (ffn_x_[l] - xx);
            ffn_x_[l] = xx;
            x = x + p_.at(b + "ffn.value.weight")
                        .matmul(torch::relu(p_.at(b + "ffn.key.weight").matmul(k)).square());
        }
        return p_.at("head.weight").matmul(layer_norm(x, "ln_out"));
    }

  private:
    Tensor vec(const std::string& name) const { return p_.at(name).reshape({-1}); }

    Tensor layer_norm(const Tensor& x, const std::string& name) const {
        const Tensor mean = x.mean();
        const Tensor var = (x - mean).square().mean();
        return (x - mean) / torch::sqrt(var + 1e-5) * vec(name + ".weight") + vec(name + ".bias");
    }

    static Tensor sigmoid(const Tensor& x) { return 1.0 / (1.0 + torch::exp(-x)); }

    Tensor time_mixing(const Tensor& x, Tensor& v0, int64_t l) {
        const std::string b = "blocks." + std::to_string(l) + ".att.";
        const int64_t H = c_.n_heads(), N = c_.head_size;
        const Tensor last = att_x_[l];
        att_x_[l] = x;
        const auto mixed = [&](const char* m) { return x + vec(b + m) * (last - x); };
        const auto W = [&](const char* m) { return p_.at(b + m + ".weight"); };
        const Tensor r = W("receptance").matmul(mixed("x_r"));
        const Tensor w = torch::exp(
            -sigmoid(torch::tanh(mixed("x_w").matmul(p_.at(b + "w1"))).matmul(p_.at(b + "w2")) +
                     vec(b + "w0")) /
            std::exp(0.5));
        Tensor k = W("key").matmul(mixed("x_k"));
        Tensor v = W("value").matmul(mixed("x_v"));
        if (!v0.defined()) {
            v0 = v;
        } else {
            v = v +
                (v0 - v) * sigmoid(mixed("x_v").matmul(p_.at(b + "v1")).matmul(p_.at(b + "v2")) +
                                   vec(b + "v0"));
        }
        const Tensor a =
            sigmoid(mixed("x_a").matmul(p_.at(b + "a1")).matmul(p_.at(b + "a2")) + vec(b + "a0"));
        const Tensor g = sigmoid(mixed("x_g").matmul(p_.at(b + "g1"))).matmul(p_.at(b + "g2"));
        Tensor kk = k * vec(b + "k_k");
        k = k + k * (a - 1) * vec(b + "k_a");
        const auto heads = [&](const Tensor& t) { return t.reshape({H, N, 1}); };
        kk = heads(kk);
        kk = kk / torch::clamp_min(kk.norm(2, {1}, true), 1e-12);
        Tensor& S = S_[l];  // (H, N, N): S[h][i][j], i value, j key
        S = S * heads(w).transpose(1, 2) - S.matmul(kk).matmul((kk * heads(a)).transpose(1, 2)) +
            heads(v).matmul(heads(k).transpose(1, 2));
        Tensor y = S.matmul(heads(r));  // (H, N, 1)
        const Tensor mean = y.mean(1, true);
        const Tensor var = (y - mean).square().mean(1, true);
        y = ((y - mean) / torch::sqrt(var + 64e-5)).reshape({-1}) * vec(b + "ln_x.weight") +
            vec(b + "ln_x.bias");
        y = y +
            ((heads(r) * heads(k) * p_.at(b + "r_k").reshape({H, N, 1})).sum(1, true) * heads(v))
                .reshape({-1});
        return W("output").matmul(y * g);
    }

    Rwkv7Config c_;
    NamedTensors p_;
    std::vector<Tensor> att_x_, ffn_x_, S_;
};

TEST(Rwkv7Reference, ModelMatchesNumpyStyleTokenLoop) {
    const Rwkv7Config c = testing::tiny_config(3);
    Rwkv7Model model = testing::perturbed_model(c, torch::kFloat64);
    const Tensor tokens = testing::random_tokens(1, 19, c.vocab_size, 8);
    torch::NoGradGuard no_grad;
    const Tensor logits = model->forward(tokens).logits[0];
    NumpyStyleRwkv7 reference(rwkv7_named_tensors(*model), c);
    std::vector<Tensor> expected;
    for (int64_t t = 0; t < tokens.size(1); ++t) {
        expected.push_back(reference.step(tokens[0][t].item<int64_t>()));
    }
    EXPECT_LT(testing::relative_error(logits, torch::stack(expected)), 1e-11);
}

}  // namespace
}  // namespace statetrack::model
