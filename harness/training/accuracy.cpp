// Accuracy counting (see accuracy.h).

#include "harness/training/accuracy.h"

#include <limits>

namespace statetrack::harness {

AccuracyCounts& AccuracyCounts::operator+=(const AccuracyCounts& o) {
    scored += o.scored;
    correct += o.correct;
    sequences += o.sequences;
    sequences_correct += o.sequences_correct;
    return *this;
}

double AccuracyCounts::token_accuracy() const {
    return scored == 0 ? std::numeric_limits<double>::quiet_NaN()
                       : static_cast<double>(correct) / static_cast<double>(scored);
}

double AccuracyCounts::sequence_accuracy() const {
    return sequences == 0 ? std::numeric_limits<double>::quiet_NaN()
                          : static_cast<double>(sequences_correct) / static_cast<double>(sequences);
}

AccuracyCounts count_correct(const torch::Tensor& predictions, const torch::Tensor& targets) {
    TORCH_CHECK(predictions.sizes() == targets.sizes() && predictions.dim() == 2,
                "count_correct: predictions and targets must both be (B,T)");
    const torch::Tensor scored = targets.ge(0);
    const torch::Tensor wrong = predictions.ne(targets).logical_and(scored);
    const torch::Tensor has_target = scored.any(1);
    AccuracyCounts c;
    c.scored = scored.sum().item<int64_t>();
    c.correct = c.scored - wrong.sum().item<int64_t>();
    c.sequences = has_target.sum().item<int64_t>();
    c.sequences_correct = has_target.logical_and(wrong.any(1).logical_not()).sum().item<int64_t>();
    return c;
}

torch::Tensor predict_classes(const torch::Tensor& logits, int64_t num_classes) {
    TORCH_CHECK(logits.size(-1) >= num_classes, "predict_classes: ", logits.size(-1),
                " logits for ", num_classes, " classes");
    return logits.narrow(-1, 0, num_classes).argmax(-1);
}

}  // namespace statetrack::harness
