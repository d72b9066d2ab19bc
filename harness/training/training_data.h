// TrainingData: the training batches and the held-out validation set of one run.
// Every batch is a pure function of (task, seed, step), whatever ran before, so a resumed run
// sees the same batches as an uninterrupted one and two runs with one seed train identically:
//   fresh (Delétang): step s draws one length uniformly from the valid train lengths and
//     batch_size new examples of it, from an Rng seeded by example_seed(seed, "train-step", s);
//   fixed (Merrill, Zoology): a training set generated once (dataset.h, split "train"); epoch e
//     shuffles each length's examples (Rng seeded by example_seed(seed, "train-epoch", e)),
//     cuts them into same-length batches of batch_size (the last of a length may be smaller)
//     and shuffles the batch order; step s is batch s mod n of epoch s / n.
// Validation: split "validation" over the train lengths, validation_examples spread evenly;
// in fixed mode examples whose input is a training input are dropped (unless that leaves none).
#pragma once

#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "harness/runs/run_config.h"
#include "harness/training/batch.h"
#include "tasks/task.h"

namespace statetrack::harness {

class TrainingData {
  public:
    TrainingData(const tasks::Task& task, const TaskRunConfig& config, uint64_t seed,
                 int64_t batch_size);

    // The examples of step `step` (same-length); batch() turns them into tensors.
    std::vector<tasks::Example> examples(int64_t step);
    Batch batch(int64_t step);

    const std::vector<tasks::Example>& validation() const { return validation_; }
    // True when `tokens` is the input of a training example (fixed mode; always false when
    // fresh, where training inputs are not a fixed set).
    bool is_training_input(const std::vector<int32_t>& tokens) const;
    // Valid train lengths, ascending.
    const std::vector<int64_t>& train_lengths() const { return lengths_; }
    // Fixed mode: examples in the training set; fresh: 0.
    int64_t train_set_size() const { return static_cast<int64_t>(train_set_.size()); }
    int64_t batches_per_epoch() const { return static_cast<int64_t>(batches_per_epoch_); }

  private:
    void plan_epoch(int64_t epoch);

    const tasks::Task& task_;
    TaskRunConfig config_;
    uint64_t seed_;
    int64_t batch_size_;
    std::vector<int64_t> lengths_;
    std::vector<tasks::Example> train_set_;         // fixed mode
    std::vector<std::vector<size_t>> by_length_;    // indices into train_set_, per length
    std::unordered_set<std::string> train_inputs_;  // fixed mode, packed token bytes
    size_t batches_per_epoch_ = 0;
    int64_t planned_epoch_ = -1;
    std::vector<std::vector<size_t>> epoch_batches_;  // the planned epoch's batches
    std::vector<tasks::Example> validation_;
};

// Examples per length so that `total` examples are spread over `lengths` lengths (ceil, >= 1).
int64_t per_length_count(int64_t total, size_t lengths);
// The packed bytes of a token sequence (hash-set key).
std::string token_key(const std::vector<int32_t>& tokens);

}  // namespace statetrack::harness
