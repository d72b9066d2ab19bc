// Learning smoke test: a 2-layer RWKV-7 learns running parity (state tagging: the label at
// every position is the parity of the bits so far) on strings of length 8 within a few hundred
// AdamW steps. Accuracy is measured exhaustively: all 256 strings, every position (2048 labels).
#include <gtest/gtest.h>

#include <vector>

#include "model/rwkv7_init.h"
#include "model/rwkv7_optim.h"
#include "rwkv7_test_util.h"

namespace statetrack::model {
namespace {

constexpr int64_t kLength = 8;

// tokens (n, kLength) of bits and their running parities.
std::pair<torch::Tensor, torch::Tensor> parity_batch(const std::vector<uint64_t>& codes) {
    const auto n = static_cast<int64_t>(codes.size());
    torch::Tensor tokens = torch::empty({n, kLength}, torch::kLong);
    torch::Tensor targets = torch::empty({n, kLength}, torch::kLong);
    for (int64_t i = 0; i < n; ++i) {
        int64_t parity = 0;
        for (int64_t t = 0; t < kLength; ++t) {
            const int64_t bit = static_cast<int64_t>((codes[static_cast<size_t>(i)] >> t) & 1u);
            parity ^= bit;
            tokens[i][t] = bit;
            targets[i][t] = parity;
        }
    }
    return {tokens, targets};
}

double accuracy(Rwkv7Model& model, const torch::Tensor& tokens, const torch::Tensor& targets) {
    torch::NoGradGuard no_grad;
    const torch::Tensor predicted = model->forward(tokens).logits.argmax(-1);
    return predicted.eq(targets).to(torch::kFloat64).mean().item<double>();
}

TEST(Rwkv7Learning, TwoLayersLearnRunningParity) {
    Rwkv7Config c;
    c.vocab_size = 2;  // bits in, parity classes out
    c.n_layers = 2;
    c.d_model = 32;
    c.head_size = 16;
    c.dim_w = c.dim_a = c.dim_v = c.dim_g = 8;  // rwkv7_train_simplified.py's small template
    Rwkv7Model model = make_rwkv7_model(resolve_rwkv7_config(c), 1);
    Rwkv7AdamWOptions options;
    options.lr = 3e-3;
    options.weight_decay = 0.01;
    auto optimizer = make_rwkv7_adamw(*model, options);

    std::vector<uint64_t> all(256);
    for (uint64_t i = 0; i < all.size(); ++i) {
        all[i] = i;
    }
    const auto [eval_tokens, eval_targets] = parity_batch(all);
    automata::Rng rng(2024);
    double acc = 0.0;
    int step = 0;
    while (step < 600 && acc < 0.99) {
        ++step;
        std::vector<uint64_t> codes(64);
        for (uint64_t& code : codes) {
            code = automata::uniform_below(rng, 256);
        }
        const auto [tokens, targets] = parity_batch(codes);
        optimizer->zero_grad();
        const torch::Tensor logits = model->forward(tokens).logits;
        const torch::Tensor loss =
            torch::nn::functional::cross_entropy(logits.reshape({-1, 2}), targets.reshape({-1}));
        loss.backward();
        torch::nn::utils::clip_grad_norm_(model->parameters(), 1.0);
        optimizer->step();
        if (step % 25 == 0) {
            acc = accuracy(model, eval_tokens, eval_targets);
        }
    }
    EXPECT_GT(acc, 0.95) << "after " << step << " steps";
    RecordProperty("steps", step);
}

}  // namespace
}  // namespace statetrack::model
