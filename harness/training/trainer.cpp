// The training loop (see trainer.h).

#include "harness/training/trainer.h"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <utility>

#include "harness/runs/lr_schedule.h"
#include "harness/training/checkpoint.h"
#include "harness/training/run_device.h"
#include "kernels/autocast.h"
#include "kernels/cross_entropy.h"
#include "model/adamw.h"
#include "model/parameter_gradients.h"

namespace statetrack::harness {
namespace {

class Stopwatch {
  public:
    double seconds() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    }

  private:
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

model::AdamWSettings adamw_settings(const OptimizerRunConfig& o) {
    model::AdamWSettings s;
    s.lr = o.lr;
    s.weight_decay = o.weight_decay;
    s.beta1 = o.beta1;
    s.beta2 = o.beta2;
    s.eps = o.eps;
    return s;
}

}  // namespace

Trainer::Trainer(const RunConfig& config, model::SequenceModel& model, TrainingData& data,
                 const Evaluator& evaluator, std::string checkpoint_dir, TrainerHooks hooks)
    : config_(config),
      model_(model),
      data_(data),
      evaluator_(evaluator),
      checkpoint_dir_(std::move(checkpoint_dir)),
      hooks_(std::move(hooks)) {
    std::vector<model::ParamGroup> groups;
    for (model::ParamGroup& g : model.param_groups()) {
        if (g.params.empty()) {
            continue;
        }
        if (config.optimizer.recipe != "rwkv") {
            g.lr_scale = 1.0;
        }
        lr_scales_.push_back(g.lr_scale);
        params_.insert(params_.end(), g.params.begin(), g.params.end());
        groups.push_back(std::move(g));
    }
    optimizer_ = model::make_adamw(groups, adamw_settings(config.optimizer));
}

void Trainer::resume() {
    state_ = load_checkpoint(checkpoint_dir_, model_, *optimizer_, config_.raw,
                             config_.budget.max_steps);
}

bool Trainer::train_step(int64_t step, const Batch& batch, double lr) {
    const Stopwatch watch;
    auto& groups = optimizer_->param_groups();
    for (size_t i = 0; i < groups.size(); ++i) {
        static_cast<torch::optim::AdamWOptions&>(groups[i].options()).lr(lr * lr_scales_[i]);
    }
    model::clear_gradients(params_);
    const int64_t c = evaluator_.num_classes();
    const torch::Device device = device_of(model_);  // batches are built on the CPU
    torch::Tensor loss;
    {
        // bf16 precision: the forward under autocast, the loss (and the backward) in float32.
        const kernels::AutocastScope autocast(device, config_.precision == "bf16");
        // The first c outputs are the classes; targets are tasks::kNoTarget (-1) where unscored.
        static_assert(tasks::kNoTarget == -1, "kernels::cross_entropy_loss skips targets of -1");
        loss = kernels::cross_entropy_loss(
            model_.logits(batch.tokens.to(device)).to(torch::kFloat32), batch.targets.to(device),
            c);
    }
    if (hooks_.on_loss) {
        hooks_.on_loss(step, loss);
    }
    const double value = loss.item<double>();
    bool ok = std::isfinite(value);
    if (ok) {
        loss.backward();
        if (hooks_.on_gradients) {
            hooks_.on_gradients(step, model_);
        }
        const double norm = model::gradient_norm(params_);
        ok = std::isfinite(norm);
        if (ok) {
            const double clip = config_.optimizer.grad_clip;
            if (clip > 0.0 && norm > clip) {
                // torch.nn.utils.clip_grad_norm_'s coefficient.
                model::scale_gradients(params_, clip / (norm + 1e-6));
            }
            optimizer_->step();
            state_.window_loss_sum += value;
            ++state_.window_steps;
            last_loss_ = value;
        }
    }
    if (!ok) {
        model::clear_gradients(params_);
    }
    state_.seconds.train += watch.seconds();
    return ok;
}

void Trainer::curve_point(double lr) {
    const Stopwatch watch;
    const AccuracyCounts validation = evaluator_.validation_accuracy(model_);
    state_.seconds.eval += watch.seconds();
    CurvePoint point;
    point.step = state_.step;
    point.loss = state_.window_steps > 0
                     ? state_.window_loss_sum / static_cast<double>(state_.window_steps)
                     : kNaN;
    point.accuracy = validation.token_accuracy();
    point.sequence_accuracy = validation.sequence_accuracy();
    point.lr = lr;
    point.seconds = state_.train_wall_seconds;
    state_.curve.push_back(point);
    state_.window_loss_sum = 0.0;
    state_.window_steps = 0;
}

double Trainer::total_seconds() const {
    return total_base_ +
           std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start_).count();
}

void Trainer::save() {
    const Stopwatch watch;
    state_.seconds.total = total_seconds();
    save_checkpoint(checkpoint_dir_, model_, *optimizer_, state_, config_.raw);
    state_.seconds.checkpoint += watch.seconds();
}

// Curve point at eval steps, then the early-stop and time-budget checks; returns the stop
// reason, if training is to stop.
std::optional<results::StopReason> Trainer::evaluate_and_check_stop(double lr, bool at_eval) {
    const BudgetRunConfig& b = config_.budget;
    if (at_eval) {
        curve_point(lr);
        const CurvePoint& last = state_.curve.back();
        const double reached =
            b.target_metric == TargetMetric::kSequence ? last.sequence_accuracy : last.accuracy;
        if (b.target_accuracy > 0.0 && reached >= b.target_accuracy) {
            return results::StopReason::kTargetAccuracy;
        }
    }
    if (b.max_seconds > 0.0 && state_.train_wall_seconds >= b.max_seconds) {
        if (!at_eval) {
            curve_point(lr);
        }
        return results::StopReason::kTimeBudget;
    }
    return std::nullopt;
}

void Trainer::report_progress(ProgressInfo info, bool curve_point) const {
    if (hooks_.progress) {
        info.step = state_.step;
        info.loss = last_loss_;
        info.accuracy = state_.curve.empty() ? kNaN : state_.curve.back().accuracy;
        info.seconds = state_.train_wall_seconds;
        hooks_.progress(info, curve_point);
    }
}

TrainOutcome Trainer::run() {
    const BudgetRunConfig& b = config_.budget;
    TrainOutcome out;
    total_base_ = state_.seconds.total;
    const Stopwatch clock;
    const double wall_base = state_.train_wall_seconds;
    const ProgressInfo segment{state_.step, b.max_steps, kNaN,     kNaN,
                               wall_base,   state_.step, wall_base};
    model_.train();
    std::optional<results::StopReason> stop;
    while (state_.step < b.max_steps && !stop) {
        const int64_t step = state_.step;
        const Stopwatch data_watch;
        const Batch batch = data_.batch(step);
        state_.seconds.data += data_watch.seconds();
        const double lr = scheduled_lr(config_.schedule, config_.optimizer.lr, step, b.max_steps);
        const bool ok = train_step(step, batch, lr);
        state_.step = step + 1;
        state_.examples += batch.tokens.size(0);
        state_.tokens += batch.tokens.numel();
        state_.last_lr = lr;
        state_.train_wall_seconds = wall_base + clock.seconds();
        state_.consecutive_non_finite = ok ? 0 : state_.consecutive_non_finite + 1;
        state_.skipped_non_finite += ok ? 0 : 1;
        if (state_.consecutive_non_finite >= b.max_non_finite_steps) {
            out.status = results::RunStatus::kFailed;
            stop = results::StopReason::kNonFinite;
            out.error = fmt::format(
                "non-finite loss or gradient in {} consecutive steps (last: step {}); "
                "parameters were left at their last finite values",
                state_.consecutive_non_finite, step);
            break;
        }
        const bool at_eval = state_.step % b.eval_every == 0 || state_.step == b.max_steps;
        stop = evaluate_and_check_stop(lr, at_eval);
        report_progress(segment, at_eval);
        if (!stop && !checkpoint_dir_.empty() && b.checkpoint_every > 0 &&
            state_.step % b.checkpoint_every == 0 && state_.step < b.max_steps) {
            save();
        }
        if (hooks_.after_step) {
            hooks_.after_step(state_.step);
        }
    }
    out.stop_reason = stop.value_or(results::StopReason::kMaxSteps);
    return out;
}

}  // namespace statetrack::harness
