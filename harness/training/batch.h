// Batch: task Examples (task.h) as tensors for a SequenceModel.
//   tokens  (B,T) int64, the examples' tokens; positions past an example's end hold kPadToken
//   targets (B,T) int64, the target class where loss_mask is 1, -1 everywhere else (padding too)
// T is the longest example. The harness's own batches are same-length (Delétang: one length
// per batch), so padding only appears when a caller mixes lengths; right padding cannot change
// a causal model's outputs at earlier positions, and padded positions are never scored.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "tasks/task.h"

namespace statetrack::harness {

inline constexpr int64_t kPadToken = 0;

struct Batch {
    torch::Tensor tokens;   // (B,T) int64
    torch::Tensor targets;  // (B,T) int64, tasks::kNoTarget = not scored
    int64_t length = 0;     // T
    int64_t scored = 0;     // positions with a target
};

// Throws std::invalid_argument on an empty list or an example violating the Example contract.
Batch make_batch(const std::vector<tasks::Example>& examples);
Batch make_batch(const std::vector<const tasks::Example*>& examples);

}  // namespace statetrack::harness
