// Accuracy counting, the metrics of results/README.md:
//   token accuracy     correct scored positions / scored positions (pooled over sequences)
//   sequence accuracy  sequences whose every scored position is right / sequences
//   scaled accuracy    (token accuracy - chance) / (1 - chance) (Grazzi et al.); may be < 0
// Only positions with a target (>= 0) count; a sequence without one is not counted.
// Predictions are the argmax over the task's C classes: models emit V >= C logits (V also
// covers input tokens), and the logits past C are never a valid answer, so they are cut off
// before the argmax and the loss (predict_classes).
#pragma once

#include <torch/torch.h>

#include <cstdint>

#include "results/result_record.h"

namespace statetrack::harness {

struct AccuracyCounts {
    int64_t scored = 0;
    int64_t correct = 0;
    int64_t sequences = 0;
    int64_t sequences_correct = 0;

    AccuracyCounts& operator+=(const AccuracyCounts& o);
    double token_accuracy() const;     // NaN when nothing was scored
    double sequence_accuracy() const;  // NaN when no sequence was scored
};

using results::scaled_accuracy;  // (accuracy - chance) / (1 - chance)

// predictions, targets: (B,T) int64; targets -1 where not scored.
AccuracyCounts count_correct(const torch::Tensor& predictions, const torch::Tensor& targets);

// logits (..., V) -> argmax over the first num_classes entries, (...) int64.
torch::Tensor predict_classes(const torch::Tensor& logits, int64_t num_classes);

}  // namespace statetrack::harness
