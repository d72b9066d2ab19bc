// cross_entropy_loss(logits, targets, classes): the training loss, differentiable: the mean over
// the positions whose target is not −1 (tasks::kNoTarget) of −log softmax(logits[…, :classes])
// at the target. logits (…, V) with V ≥ classes (the vocabulary's outputs past the classes take
// no part and get zero gradient); targets (…) int64, the same leading shape, each −1 or a class.
// No scored position gives NaN (0/0), as LibTorch does. Why: as LibTorch ops (narrow, reshape,
// log_softmax, nll_loss) that is four autograd nodes and their passes per training step, ~2% of a
// quick-shape RWKV-7 step; here one node over kernels/cross_entropy_cpu.h, whose backward writes
// the gradient of the whole (…, V) block at once. CPU float32/float64 logits take the loops (the
// sum of the losses in double); anything else runs cross_entropy_loss_reference (F::cross_entropy
// with ignore_index −1), also the tests' oracle. Same result up to float rounding. A target
// outside [−1, classes) is an error naming it, on both paths.
#pragma once

#include <torch/torch.h>

#include <cstdint>

namespace statetrack::kernels {

torch::Tensor cross_entropy_loss(const torch::Tensor& logits, const torch::Tensor& targets,
                                 int64_t classes);

torch::Tensor cross_entropy_loss_reference(const torch::Tensor& logits,
                                           const torch::Tensor& targets, int64_t classes);

}  // namespace statetrack::kernels
