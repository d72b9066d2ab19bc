// TransformerModel (see transformer_model.h).
#include "model/transformer_model.h"

#include <fmt/format.h>

#include <stdexcept>
#include <utility>

#include "kernels/embedding.h"
#include "kernels/layer_norm.h"

namespace statetrack::model {

int64_t TransformerStepState::numel_per_sequence() const {
    int64_t total = 0;
    for (const TransformerKvCache& cache : layers) {
        total += cache.k.numel() + cache.v.numel();
    }
    return batch_size > 0 ? total / batch_size : 0;
}

TransformerModelImpl::TransformerModelImpl(const TransformerConfig& config)
    : config_(resolve_transformer_config(config)) {
    const int64_t C = config_.d_model;
    const int64_t V = config_.vocab_size;
    tok_emb = register_module("tok_emb", torch::nn::Embedding(V, C));
    if (config_.positional == PositionalEncoding::kLearned) {
        pos_emb = register_module("pos_emb", torch::nn::Embedding(config_.max_seq_len, C));
    }
    blocks = register_module("blocks", torch::nn::ModuleList());
    for (int64_t l = 0; l < config_.n_layers; ++l) {
        block_list.push_back(TransformerBlock(config_));
        blocks->push_back(block_list.back());
    }
    ln_f =
        register_module("ln_f", torch::nn::LayerNorm(torch::nn::LayerNormOptions({C}).eps(1e-5)));
    head = register_module("head", torch::nn::Linear(torch::nn::LinearOptions(C, V).bias(false)));
    if (config_.positional == PositionalEncoding::kAlibi) {
        alibi_slopes_ = alibi_slopes(config_.n_heads);
    }
}

torch::Tensor TransformerModelImpl::logits(const torch::Tensor& tokens) {
    check_model_tokens(tokens, 2, config_.vocab_size, "transformer");
    return run(tokens, nullptr);
}

std::unique_ptr<StepState> TransformerModelImpl::start_state(int64_t batch_size) const {
    if (!config_.causal) {
        throw std::invalid_argument(
            "transformer: the bidirectional encoder (causal = false) has no step mode");
    }
    if (batch_size < 1) {
        throw std::invalid_argument(
            fmt::format("transformer: start_state batch size {} must be >= 1", batch_size));
    }
    auto state = std::make_unique<TransformerStepState>();
    state->batch_size = batch_size;
    const torch::Tensor empty =
        torch::zeros({batch_size, config_.n_heads, 0, config_.head_size()}, options());
    state->layers.assign(static_cast<size_t>(config_.n_layers), TransformerKvCache{empty, empty});
    return state;
}

torch::Tensor TransformerModelImpl::step_logits(const torch::Tensor& tokens, StepState& state) {
    auto* cache = dynamic_cast<TransformerStepState*>(&state);
    if (cache == nullptr || !config_.causal) {
        throw std::invalid_argument(
            "transformer: step_logits needs a causal model and the state from its start_state()");
    }
    check_model_tokens(tokens, 1, config_.vocab_size, "transformer");
    if (tokens.size(0) != cache->batch_size ||
        static_cast<int64_t>(cache->layers.size()) != config_.n_layers) {
        throw std::invalid_argument(fmt::format(
            "transformer: step_logits got {} tokens for a state of {} sequences and {} layers "
            "(the model has {})",
            tokens.size(0), cache->batch_size, cache->layers.size(), config_.n_layers));
    }
    torch::Tensor out = run(tokens.unsqueeze(1), cache).squeeze(1);
    cache->length += 1;
    return out;
}

int64_t TransformerModelImpl::state_size(int64_t seq_len) const {
    if (seq_len < 0) {
        throw std::invalid_argument(
            fmt::format("transformer: state_size({}) needs a length >= 0", seq_len));
    }
    if (!config_.causal || seq_len == 0) {
        return 0;
    }
    // Measured, not assumed: one real step fills the cache with one position's tensors, whose
    // size scales with the number of positions held. The step reads the parameters only, so
    // the const_cast changes nothing observable.
    torch::NoGradGuard no_grad;
    std::unique_ptr<StepState> state = start_state(1);
    auto& self = const_cast<TransformerModelImpl&>(*this);
    self.step_logits(torch::zeros({1}, torch::kLong).to(options().device()), *state);
    return state->numel_per_sequence() * seq_len;
}

nlohmann::json TransformerModelImpl::config_json() const {
    return transformer_config_to_json(config_);
}

torch::Tensor TransformerModelImpl::run(const torch::Tensor& tokens, TransformerStepState* state) {
    const int64_t start = state != nullptr ? state->length : 0;
    const AttentionPositions positions = attention_positions(start, tokens.size(1));
    torch::Tensor x = embed(tokens, start);
    for (size_t l = 0; l < block_list.size(); ++l) {
        x = block_list[l]->forward(x, positions, state != nullptr ? &state->layers[l] : nullptr);
    }
    return head(kernels::layer_norm(x, ln_f->weight, ln_f->bias, ln_f->options.eps()));
}

torch::Tensor TransformerModelImpl::embed(const torch::Tensor& tokens, int64_t start) {
    const int64_t T = tokens.size(1);
    torch::Tensor x = kernels::embedding(tokens, tok_emb->weight);
    switch (config_.positional) {
        case PositionalEncoding::kSinusoidal:
            return x + sinusoidal_table(start, T, config_.d_model, x.options());
        case PositionalEncoding::kLearned: {
            if (start + T > config_.max_seq_len) {
                throw std::invalid_argument(fmt::format(
                    "transformer: an input of {} positions exceeds max_seq_len = {} (the learned "
                    "positional table); use a shorter input or a larger max_seq_len",
                    start + T, config_.max_seq_len));
            }
            const torch::Tensor where =
                torch::arange(start, start + T, tokens.options().dtype(torch::kLong));
            return x + kernels::embedding(where, pos_emb->weight);
        }
        default:
            return x;  // none, rope, alibi act inside attention
    }
}

AttentionPositions TransformerModelImpl::attention_positions(int64_t start, int64_t count) {
    if (start != 0) {
        return make_attention_positions(start, count);
    }
    // Kept while the model's device and dtype stay those they were built for; a bounded number.
    constexpr size_t kMaxKept = 512;
    const torch::TensorOptions opts = options();
    const auto fits = [&](const AttentionPositions& p) {
        const torch::Tensor& t = p.bias.defined() ? p.bias : p.rope.cos;
        return !t.defined() || (t.device() == opts.device() && t.dtype() == opts.dtype());
    };
    auto it = positions_from_0_.find(count);
    if (it == positions_from_0_.end() || !fits(it->second)) {
        if (positions_from_0_.size() >= kMaxKept) {
            positions_from_0_.clear();
        }
        it = positions_from_0_.insert_or_assign(count, make_attention_positions(0, count)).first;
    }
    return it->second;
}

AttentionPositions TransformerModelImpl::make_attention_positions(int64_t start,
                                                                  int64_t count) const {
    AttentionPositions p;
    p.start = start;
    const int64_t key_count = start + count;
    const torch::TensorOptions opts = options();
    if (config_.positional == PositionalEncoding::kRope) {
        p.rotary = true;
        p.rope = rope_tables(start, count, config_.head_size(), opts);
    }
    if (config_.causal) {
        p.bias = causal_mask_bias(start, count, key_count, opts);
    }
    if (config_.positional == PositionalEncoding::kAlibi) {
        const torch::Tensor alibi = alibi_bias(alibi_slopes_, start, count, key_count, opts);
        p.bias = p.bias.defined() ? p.bias + alibi : alibi;
    }
    return p;
}

}  // namespace statetrack::model
