// The Transformer baseline's initialisation, GPT-2 style (as nanoGPT):
//   every Linear and Embedding weight (tok_emb, pos_emb, qkv, fc, head) ~ N(0, 0.02);
//   the residual output projections (blocks.*.attn.out, blocks.*.proj) ~ N(0, 0.02/√(2L));
//   every bias 0; LayerNorm weight 1, bias 0.
// Randomness: a private torch CPU generator seeded with `seed` (at::detail::createCPUGenerator),
// drawn module by module in registration order, so a seed gives the same float32 weights for
// the same LibTorch build whatever the global generator holds. transformer_initialize never
// touches torch's global CPU generator; make_transformer_model saves its state before building
// the modules (torch::nn constructors draw placeholder weights from it) and restores it after,
// so building a model leaves the caller's random stream where it was. The one global effect
// that remains: a thread drawing from the global generator while a model is being built would
// have its draws replayed, so build models from one thread or before sampling starts.
#pragma once

#include <cstdint>

#include "model/transformer_config.h"
#include "model/transformer_model.h"

namespace statetrack::model {

constexpr double kTransformerInitStd = 0.02;

// Overwrites every parameter of `model` with the initialisation for `seed`.
void transformer_initialize(TransformerModelImpl& model, uint64_t seed);

// A float32 CPU model with the initialisation for `seed`.
TransformerModel make_transformer_model(const TransformerConfig& config, uint64_t seed);

}  // namespace statetrack::model
