// Evaluator: the frozen test sets of a run and the metrics on them (accuracy.h).
// Test sets: for each test length (run_config.h expand_test_lengths; lengths the task rejects
// are skipped), test_examples_per_length examples of split "test" (dataset.h: fixed by
// (task, seed, length), independent of the train and validation streams), generated on first
// use and kept in memory. In fixed-dataset mode, in-distribution test examples whose input is a
// training input are dropped (held out, as Merrill's i.i.d. split); where that would leave none
// the length keeps all of them and its entry says held_out: false.
// Modes: "parallel" (one logits() call per batch of same-length sequences) for every model, and
// "step" (step_mode_eval.h) for a model with a step mode when eval.step_mode_length > 0 and the
// formulation has a target at every position (state_tagging, membership_tagging).
// Chance: the task's chance level (1 / number of classes a scored position can take; for MQAR
// 1 / number of values), the baseline of scaled accuracy.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/runs/run_config.h"
#include "harness/training/accuracy.h"
#include "harness/training/step_mode_eval.h"
#include "harness/training/training_data.h"
#include "model/sequence_model.h"
#include "results/result_record.h"
#include "tasks/task.h"

namespace statetrack::harness {

struct LengthEvaluation {
    std::string split = "test";
    results::EvalMode mode = results::EvalMode::kParallel;
    int64_t length = 0;
    bool in_distribution = false;
    bool held_out = true;
    AccuracyCounts counts;
    // step mode only
    std::vector<WindowAccuracy> windows;
    int64_t state_floats_start = 0;
    int64_t state_floats_end = 0;
    double rss_mib_first = 0.0;
    double rss_mib_last = 0.0;
};

// The result.json "evaluation" entry of a length (results/result_record.h), and its JSON.
results::EvalEntry eval_entry(const LengthEvaluation& entry, double chance);
nlohmann::json to_json(const LengthEvaluation& entry, double chance);

// Scores examples of any lengths in eval mode without gradients, per length: sorted by length
// into batches of at most batch_size, mixing neighbouring lengths (right-padded) for a causal
// model, one length per batch otherwise. Padding is never scored.
std::map<int64_t, AccuracyCounts> score_by_length(
    model::SequenceModel& model, const std::vector<const tasks::Example*>& examples,
    int64_t batch_size, int64_t num_classes);
// The same, pooled over all lengths.
AccuracyCounts score_examples(model::SequenceModel& model,
                              const std::vector<const tasks::Example*>& examples,
                              int64_t batch_size, int64_t num_classes);

class Evaluator {
  public:
    Evaluator(const tasks::Task& task, const RunConfig& config, const TrainingData& data);

    int64_t num_classes() const { return num_classes_; }
    double chance() const { return chance_; }
    // Token accuracy on the validation set (training_data.h).
    AccuracyCounts validation_accuracy(model::SequenceModel& model) const;
    // Parallel mode at every test length, then step mode where it applies.
    std::vector<LengthEvaluation> evaluate(model::SequenceModel& model);
    // Wall seconds the last evaluate() spent in step mode.
    double step_mode_seconds() const { return step_mode_seconds_; }
    bool step_mode_applies(const model::SequenceModel& model) const;
    // The frozen test set of one valid length (cached); held_out as in LengthEvaluation.
    const std::vector<tasks::Example>& test_set(int64_t length, bool* held_out = nullptr);
    // The valid test lengths, ascending.
    const std::vector<int64_t>& test_lengths() const { return lengths_; }

  private:
    bool in_distribution(int64_t length) const;

    const tasks::Task& task_;
    const RunConfig& config_;
    const TrainingData& data_;
    int64_t num_classes_;
    double chance_;
    std::vector<int64_t> lengths_;
    std::map<int64_t, std::vector<tasks::Example>> test_sets_;
    std::map<int64_t, bool> held_out_;
    double step_mode_seconds_ = 0.0;
};

}  // namespace statetrack::harness
