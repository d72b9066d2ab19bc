// TransformerModel, for every positional encoding: causality of the decoder, the bidirectional
// encoder reading the whole sequence, KV-cached step mode against the parallel pass (float64),
// NoPE's permutation equivariance, the learned table's length limit, the kept position tables
// across a dtype change, state and parameter accounting, dropout, input validation.
#include "model/transformer_model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "testing/error_of.h"
#include "transformer_test_util.h"

namespace statetrack::model {
namespace {

using transformer_testing::all_encodings;
using transformer_testing::encoding_test_name;
using transformer_testing::perturbed_model;
using transformer_testing::random_tokens;
using transformer_testing::relative_error;
using transformer_testing::step_by_step;
using transformer_testing::tiny_config;

template <typename F>
std::string error_message(const F& f) {
    return statetrack::testing::error_of<std::invalid_argument>(f);
}

class TransformerEncoding : public ::testing::TestWithParam<PositionalEncoding> {};

INSTANTIATE_TEST_SUITE_P(AllEncodings, TransformerEncoding, ::testing::ValuesIn(all_encodings()),
                         encoding_test_name);

TEST_P(TransformerEncoding, CausalLaterTokensDoNotChangeEarlierLogits) {
    TransformerModel model = perturbed_model(tiny_config(GetParam()));
    torch::NoGradGuard no_grad;
    const torch::Tensor tokens = random_tokens(1, 12, 11, 1);
    const torch::Tensor base = model->logits(tokens);
    EXPECT_EQ(base.sizes(), torch::IntArrayRef({1, 12, 11}));
    for (const int64_t t : {0, 4, 9}) {
        torch::Tensor changed = tokens.clone();
        changed[0][t + 1] = (changed[0][t + 1].item<int64_t>() + 3) % 11;
        const torch::Tensor logits = model->logits(changed);
        EXPECT_LT(relative_error(logits.slice(1, 0, t + 1), base.slice(1, 0, t + 1)), 1e-13) << t;
        EXPECT_GT((logits.slice(1, t + 1) - base.slice(1, t + 1)).abs().max().item<double>(), 1e-4)
            << t;
    }
    EXPECT_TRUE(model->is_causal());
    EXPECT_TRUE(model->has_step_mode());
}

TEST_P(TransformerEncoding, BidirectionalEncoderReadsLaterTokensAndHasNoStepMode) {
    TransformerModel model = perturbed_model(tiny_config(GetParam(), /*causal=*/false));
    torch::NoGradGuard no_grad;
    const torch::Tensor tokens = random_tokens(1, 10, 11, 2);
    const torch::Tensor base = model->logits(tokens);
    torch::Tensor changed = tokens.clone();
    changed[0][9] = (changed[0][9].item<int64_t>() + 3) % 11;
    const torch::Tensor logits = model->logits(changed);
    EXPECT_GT((logits.slice(1, 0, 1) - base.slice(1, 0, 1)).abs().max().item<double>(), 1e-4);
    EXPECT_FALSE(model->is_causal());
    EXPECT_FALSE(model->has_step_mode());
    EXPECT_EQ(model->state_size(100), 0);
    EXPECT_NE(error_message([&] { model->start_state(1); }).find("no step mode"),
              std::string::npos);
}

// The KV cache reproduces the parallel pass: positions count from the sequence start in every
// encoding (sinusoidal/learned rows, RoPE angles, ALiBi distances, the causal mask).
TEST_P(TransformerEncoding, StepModeEqualsParallelInFloat64) {
    TransformerModel model = perturbed_model(tiny_config(GetParam()));
    torch::NoGradGuard no_grad;
    const torch::Tensor tokens = random_tokens(2, 12, 11, 3);
    const torch::Tensor full = model->logits(tokens);
    std::unique_ptr<StepState> state;
    const torch::Tensor stepped = step_by_step(*model, tokens, &state);
    EXPECT_LT(relative_error(stepped, full), 1e-10);
    EXPECT_GT(full.std().item<double>(), 1e-2);  // not degenerate
    EXPECT_EQ(state->numel_per_sequence(), 2 * 2 * 12 * 32);
    EXPECT_EQ(static_cast<TransformerStepState&>(*state).length, 12);
}

TEST(TransformerModel, StepModeEqualsParallelInFloat32) {
    TransformerModel model =
        perturbed_model(tiny_config(PositionalEncoding::kRope), torch::kFloat32);
    torch::NoGradGuard no_grad;
    const torch::Tensor tokens = random_tokens(2, 9, 11, 4);
    EXPECT_LT(relative_error(step_by_step(*model, tokens), model->logits(tokens)), 1e-4);
}

// The tables of inputs from position 0 are kept by length (transformer_model.h): a model moved
// to another dtype builds them again (the kept float32 ones would be a dtype error or a silent
// float32 mask), and a length already seen gives the same logits as before.
TEST_P(TransformerEncoding, KeptPositionTablesFollowTheModelsDtype) {
    TransformerModel model = perturbed_model(tiny_config(GetParam()), torch::kFloat32);
    torch::NoGradGuard no_grad;
    const torch::Tensor tokens = random_tokens(2, 7, 11, 9);
    const torch::Tensor first = model->logits(tokens);
    EXPECT_TRUE(torch::equal(model->logits(tokens), first));
    model->to(torch::kFloat64);
    const torch::Tensor again = model->logits(tokens);
    EXPECT_EQ(again.scalar_type(), torch::kFloat64);
    EXPECT_LT(relative_error(again.to(torch::kFloat32), first), 1e-5);
    std::unique_ptr<StepState> state;
    EXPECT_LT(relative_error(step_by_step(*model, tokens, &state), again), 1e-10);
}

// Without positions or a mask, attention is a function of the multiset of tokens, so
// permuting the input permutes the outputs; a positional encoding breaks that (control).
TEST(TransformerModel, NoPositionEncoderIsPermutationEquivariant) {
    const torch::Tensor tokens = random_tokens(2, 9, 11, 5);
    const torch::Tensor perm = torch::tensor({3, 8, 0, 5, 1, 7, 2, 6, 4}, torch::kLong);
    torch::NoGradGuard no_grad;
    const auto permutation_gap = [&](PositionalEncoding encoding) {
        TransformerModel model = perturbed_model(tiny_config(encoding, /*causal=*/false));
        const torch::Tensor permuted_out = model->logits(tokens.index_select(1, perm));
        return relative_error(permuted_out, model->logits(tokens).index_select(1, perm));
    };
    EXPECT_LT(permutation_gap(PositionalEncoding::kNone), 1e-12);
    EXPECT_GT(permutation_gap(PositionalEncoding::kSinusoidal), 1e-4);
}

// Sinusoidal, RoPE and ALiBi add no parameters: with NoPE's exact weights, each must still
// change the logits (the encoding is wired into the model, not only computed).
TEST(TransformerModel, EachEncodingChangesTheLogitsOfTheSameWeights) {
    const torch::Tensor tokens = random_tokens(1, 10, 11, 11);
    torch::NoGradGuard no_grad;
    const torch::Tensor nope =
        perturbed_model(tiny_config(PositionalEncoding::kNone))->logits(tokens);
    for (const PositionalEncoding encoding :
         {PositionalEncoding::kSinusoidal, PositionalEncoding::kRope, PositionalEncoding::kAlibi}) {
        TransformerModel model = perturbed_model(tiny_config(encoding));
        EXPECT_GT(relative_error(model->logits(tokens), nope), 1e-3)
            << positional_encoding_name(encoding);
    }
}

TEST(TransformerModel, LearnedPositionsRejectInputsPastMaxSeqLen) {
    TransformerConfig config = tiny_config(PositionalEncoding::kLearned);
    config.max_seq_len = 6;
    TransformerModel model = perturbed_model(config);
    torch::NoGradGuard no_grad;
    EXPECT_EQ(model->logits(random_tokens(1, 6, 11, 6)).size(1), 6);
    EXPECT_NE(
        error_message([&] { model->logits(random_tokens(1, 7, 11, 6)); }).find("max_seq_len = 6"),
        std::string::npos);
    std::unique_ptr<StepState> state;
    step_by_step(*model, random_tokens(1, 6, 11, 7), &state);
    EXPECT_NE(error_message([&] {
                  model->step_logits(torch::zeros({1}, torch::kLong), *state);
              }).find("max_seq_len = 6"),
              std::string::npos);
    // The other encodings have no length limit.
    config.positional = PositionalEncoding::kSinusoidal;
    EXPECT_EQ(perturbed_model(config)->logits(random_tokens(1, 9, 11, 8)).size(1), 9);
}

TEST(TransformerModel, StateSizeIsTheMeasuredKvCacheAndGrowsLinearly) {
    TransformerConfig config = tiny_config(PositionalEncoding::kAlibi);
    config.n_layers = 3;
    TransformerModel model = perturbed_model(config);
    const int64_t L = 3, C = 32;
    for (const int64_t T : {0, 1, 5, 1000}) {
        EXPECT_EQ(model->state_size(T), 2 * L * T * C) << T;
    }
    torch::NoGradGuard no_grad;
    std::unique_ptr<StepState> state = model->start_state(3);
    EXPECT_EQ(state->numel_per_sequence(), 0);
    step_by_step(*model, random_tokens(3, 5, 11, 9), &state);
    EXPECT_EQ(state->numel_per_sequence(), model->state_size(5));
    const auto& cache = static_cast<TransformerStepState&>(*state).layers[2];
    EXPECT_EQ(cache.k.sizes(), torch::IntArrayRef({3, 4, 5, 8}));
    EXPECT_EQ(cache.v.sizes(), torch::IntArrayRef({3, 4, 5, 8}));
}

TEST(TransformerModel, ParameterCountAndNames) {
    TransformerConfig config = tiny_config(PositionalEncoding::kLearned);
    const TransformerModel model(config);
    const int64_t V = 11, C = 32, F = 48, S = 64;
    const int64_t block =
        2 * C + (3 * C * C + 3 * C) + (C * C + C) + 2 * C + (C * F + F) + (F * C + C);
    EXPECT_EQ(model->parameter_count(), V * C + S * C + 2 * block + 2 * C + V * C);
    const auto names = model->named_parameters().keys();
    for (const char* name :
         {"tok_emb.weight", "pos_emb.weight", "blocks.1.attn.qkv.weight", "blocks.1.attn.out.bias",
          "blocks.0.fc.weight", "blocks.0.proj.weight", "ln_f.weight", "head.weight"}) {
        EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
    }
    config.positional = PositionalEncoding::kRope;  // no table: S·C fewer
    EXPECT_EQ(TransformerModel(config)->parameter_count(), model->parameter_count() - S * C);
}

TEST(TransformerModel, DropoutOnlyInTrainingMode) {
    TransformerConfig config = tiny_config(PositionalEncoding::kRope);
    const torch::Tensor tokens = random_tokens(2, 8, 11, 10);
    TransformerModel plain = perturbed_model(config);
    config.dropout = 0.5;
    TransformerModel dropped = perturbed_model(config);  // same seeds: same weights
    torch::NoGradGuard no_grad;
    EXPECT_GT(relative_error(dropped->logits(tokens), dropped->logits(tokens)), 1e-3);
    dropped->eval();
    plain->eval();
    EXPECT_EQ(relative_error(dropped->logits(tokens), plain->logits(tokens)), 0.0);
}

TEST(TransformerModel, RejectsBadTokensAndStates) {
    TransformerModel model = perturbed_model(tiny_config(PositionalEncoding::kRope));
    EXPECT_NE(error_message([&] {
                  model->logits(torch::full({1, 3}, 11, torch::kLong));
              }).find("token 11 is outside the vocabulary [0, 11)"),
              std::string::npos);
    EXPECT_NE(error_message([&] { model->logits(torch::zeros({3}, torch::kLong)); }).find("(B, T)"),
              std::string::npos);
    std::unique_ptr<StepState> state = model->start_state(2);
    EXPECT_NE(error_message([&] {
                  model->step_logits(torch::zeros({3}, torch::kLong), *state);
              }).find("3 tokens for a state of 2 sequences"),
              std::string::npos);
}

}  // namespace
}  // namespace statetrack::model
