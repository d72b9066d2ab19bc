// Trainer: the training loop of one run (run_config.h), from step 0 or from a checkpoint.
// Each step s: the batch of step s (training_data.h), lr = scheduled_lr(s) (lr_schedule.h) times
// each param group's lr_scale, logits over the task's C classes (the model's V >= C logits cut
// to C), cross-entropy mean over scored positions only (targets -1 are ignored), backward,
// global L2 gradient norm, clipping to grad_clip, AdamW step (make_adamw over the model's
// param_groups; recipe "default" gives every group lr_scale 1).
// Non-finite loss or gradient norm: the update is skipped (gradients dropped), counted, and the
// run goes on; budget.max_non_finite_steps in a row end it with status "failed" and stop_reason
// "non_finite". A skipped step never touches the parameters, so no NaN reaches the model.
// Every eval_every steps (and at the end): validation token accuracy and a curve point; early
// stop when it reaches budget.target_accuracy (> 0); stop when training wall time passes
// budget.max_seconds (> 0). Checkpoints every budget.checkpoint_every steps when a checkpoint
// directory is given; resume() restores one, after which run() continues bit for bit (CPU,
// fixed thread count) as the uninterrupted run would have.
// Hooks are for tests and drivers only (no environment variables): fault injection and a
// progress callback.
#pragma once

#include <torch/torch.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/runs/run_config.h"
#include "harness/runs/training_state.h"
#include "harness/training/evaluator.h"
#include "harness/training/progress.h"
#include "harness/training/training_data.h"
#include "model/sequence_model.h"
#include "results/result_schema.h"

namespace statetrack::harness {

struct TrainerHooks {
    // After the loss of step `step` is computed; may replace it (e.g. by NaN).
    std::function<void(int64_t step, torch::Tensor& loss)> on_loss;
    // After backward, before the gradient norm; may poison gradients.
    std::function<void(int64_t step, model::SequenceModel& model)> on_gradients;
    // After step `step` is complete and any checkpoint written (a test throws here to simulate
    // a killed process).
    std::function<void(int64_t steps_done)> after_step;
    // Progress after every step; curve_point marks a fresh validation accuracy.
    std::function<void(const ProgressInfo& info, bool curve_point)> progress;
};

struct TrainOutcome {
    results::RunStatus status = results::RunStatus::kComplete;
    std::string error;  // set when failed
    results::StopReason stop_reason = results::StopReason::kMaxSteps;
};

class Trainer {
  public:
    // checkpoint_dir empty = no checkpoints. The model, data and evaluator must outlive it.
    Trainer(const RunConfig& config, model::SequenceModel& model, TrainingData& data,
            const Evaluator& evaluator, std::string checkpoint_dir, TrainerHooks hooks = {});

    // Loads the latest checkpoint of checkpoint_dir (checkpoint.h).
    void resume();
    // Trains until a stop condition; state() then holds the whole history.
    TrainOutcome run();

    const TrainingState& state() const { return state_; }
    TrainingState& mutable_state() { return state_; }
    torch::optim::Optimizer& optimizer() { return *optimizer_; }
    // Wall seconds of the whole run so far: earlier segments (from the checkpoint) plus this
    // one, counted from construction or from start_clock().
    double total_seconds() const;
    // Counts this segment from `start` (a driver's own start, before data generation).
    void start_clock(std::chrono::steady_clock::time_point start) { clock_start_ = start; }

  private:
    // Returns false when the update was skipped.
    bool train_step(int64_t step, const Batch& batch, double lr);
    void curve_point(double lr);
    std::optional<results::StopReason> evaluate_and_check_stop(double lr, bool at_eval);
    void report_progress(ProgressInfo info, bool curve_point) const;
    void save();

    const RunConfig& config_;
    model::SequenceModel& model_;
    TrainingData& data_;
    const Evaluator& evaluator_;
    std::string checkpoint_dir_;
    TrainerHooks hooks_;
    std::vector<double> lr_scales_;
    std::vector<torch::Tensor> params_;
    std::unique_ptr<torch::optim::AdamW> optimizer_;
    TrainingState state_;
    double last_loss_ = std::numeric_limits<double>::quiet_NaN();
    double total_base_ = 0.0;
    std::chrono::steady_clock::time_point clock_start_ = std::chrono::steady_clock::now();
};

}  // namespace statetrack::harness
