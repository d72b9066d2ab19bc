// Evaluator (see evaluator.h).

#include "harness/training/evaluator.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "harness/training/batch.h"
#include "harness/training/eval_mode_guard.h"
#include "harness/training/run_device.h"
#include "kernels/autocast.h"
#include "tasks/dataset.h"

namespace statetrack::harness {
namespace {

bool per_position(tasks::Formulation f) {
    return f == tasks::Formulation::kStateTagging || f == tasks::Formulation::kMembershipTagging;
}

}  // namespace

results::EvalEntry eval_entry(const LengthEvaluation& e, double chance) {
    results::EvalEntry entry;
    entry.split = e.split;
    entry.mode = e.mode;
    entry.length = e.length;
    entry.examples = e.counts.sequences;
    entry.in_distribution = e.in_distribution;
    entry.held_out = e.held_out;
    const double token = e.counts.token_accuracy();
    entry.accuracy = {token, e.counts.sequence_accuracy(), scaled_accuracy(token, chance)};
    for (const WindowAccuracy& w : e.windows) {
        entry.windows.push_back({w.start, w.end, w.counts.token_accuracy()});
    }
    entry.state_floats_start = e.state_floats_start;
    entry.state_floats_end = e.state_floats_end;
    entry.rss_mib_first = e.rss_mib_first;
    entry.rss_mib_last = e.rss_mib_last;
    return entry;
}

nlohmann::json to_json(const LengthEvaluation& e, double chance) {
    return results::to_json(eval_entry(e, chance));
}

std::map<int64_t, AccuracyCounts> score_by_length(
    model::SequenceModel& model, const std::vector<const tasks::Example*>& examples,
    int64_t batch_size, int64_t num_classes) {
    const EvalModeGuard eval_mode(model);
    std::vector<const tasks::Example*> sorted = examples;
    std::stable_sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) {
        return a->tokens.size() < b->tokens.size();
    });
    std::map<int64_t, AccuracyCounts> out;
    const bool causal = model.is_causal();
    const torch::Device device = device_of(model);
    for (size_t start = 0; start < sorted.size();) {
        // A causal model may mix lengths (right padding is never scored and cannot change
        // earlier outputs); a bidirectional one gets same-length batches.
        size_t end = start;
        while (end < sorted.size() && end - start < static_cast<size_t>(batch_size) &&
               (causal || sorted[end]->tokens.size() == sorted[start]->tokens.size())) {
            ++end;
        }
        const std::vector<const tasks::Example*> group(
            sorted.begin() + static_cast<std::ptrdiff_t>(start),
            sorted.begin() + static_cast<std::ptrdiff_t>(end));
        const Batch batch = make_batch(group);
        // Batches are built on the CPU and scored there; only the forward pass runs on the
        // model's device (run_device.h).
        const torch::Tensor predicted =
            predict_classes(model.logits(batch.tokens.to(device)), num_classes).to(torch::kCPU);
        const torch::Tensor scored = batch.targets.ge(0);
        const torch::Tensor wrong = predicted.ne(batch.targets).logical_and(scored);
        const torch::Tensor scored_rows = scored.sum(1).contiguous();
        const torch::Tensor wrong_rows = wrong.sum(1).contiguous();
        const int64_t* s = scored_rows.data_ptr<int64_t>();
        const int64_t* w = wrong_rows.data_ptr<int64_t>();
        for (size_t i = 0; i < group.size(); ++i) {
            AccuracyCounts c;
            c.scored = s[i];
            c.correct = s[i] - w[i];
            c.sequences = s[i] > 0 ? 1 : 0;
            c.sequences_correct = s[i] > 0 && w[i] == 0 ? 1 : 0;
            out[static_cast<int64_t>(group[i]->tokens.size())] += c;
        }
        start = end;
    }
    return out;
}

AccuracyCounts score_examples(model::SequenceModel& model,
                              const std::vector<const tasks::Example*>& examples,
                              int64_t batch_size, int64_t num_classes) {
    AccuracyCounts total;
    for (const auto& [length, counts] : score_by_length(model, examples, batch_size, num_classes)) {
        total += counts;
    }
    return total;
}

Evaluator::Evaluator(const tasks::Task& task, const RunConfig& config, const TrainingData& data)
    : task_(task),
      config_(config),
      data_(data),
      num_classes_(static_cast<int64_t>(task.output_vocab().size())),
      chance_(task.chance_level()) {
    for (int64_t n : expand_test_lengths(config.task)) {
        if (task.valid_length(n)) {
            lengths_.push_back(n);
        }
    }
}

bool Evaluator::in_distribution(int64_t length) const {
    return length >= config_.task.train_lengths.min && length <= config_.task.train_lengths.max;
}

AccuracyCounts Evaluator::validation_accuracy(model::SequenceModel& model) const {
    const kernels::AutocastScope autocast(device_of(model), config_.precision == "bf16");
    std::vector<const tasks::Example*> examples;
    for (const tasks::Example& e : data_.validation()) {
        examples.push_back(&e);
    }
    return score_examples(model, examples, config_.eval.batch_size, num_classes_);
}

const std::vector<tasks::Example>& Evaluator::test_set(int64_t length, bool* held_out) {
    auto it = test_sets_.find(length);
    if (it == test_sets_.end()) {
        tasks::DatasetSpec spec{task_.name(),     task_.formulation(),
                                config_.seed,     "test",
                                {length, length}, config_.task.test_examples_per_length};
        std::vector<tasks::Example> all = tasks::generate_dataset(task_, spec).examples;
        std::vector<tasks::Example> kept;
        for (tasks::Example& e : all) {
            if (!in_distribution(length) || !data_.is_training_input(e.tokens)) {
                kept.push_back(std::move(e));
            }
        }
        held_out_[length] = !kept.empty();
        if (kept.empty()) {
            kept = tasks::generate_dataset(task_, spec).examples;
        }
        it = test_sets_.emplace(length, std::move(kept)).first;
    }
    if (held_out != nullptr) {
        *held_out = held_out_[length];
    }
    return it->second;
}

bool Evaluator::step_mode_applies(const model::SequenceModel& model) const {
    const int64_t n = config_.eval.step_mode_length;
    return n > 0 && model.has_step_mode() && per_position(task_.formulation()) &&
           task_.valid_length(n);
}

std::vector<LengthEvaluation> Evaluator::evaluate(model::SequenceModel& model) {
    // bf16 precision evaluates as it trains: parallel and step mode under autocast.
    const kernels::AutocastScope autocast(device_of(model), config_.precision == "bf16");
    std::vector<LengthEvaluation> entries;
    std::vector<const tasks::Example*> examples;
    for (int64_t n : lengths_) {
        LengthEvaluation e;
        e.length = n;
        e.in_distribution = in_distribution(n);
        for (const tasks::Example& x : test_set(n, &e.held_out)) {
            examples.push_back(&x);
        }
        entries.push_back(std::move(e));
    }
    const std::map<int64_t, AccuracyCounts> counts =
        score_by_length(model, examples, config_.eval.batch_size, num_classes_);
    for (LengthEvaluation& e : entries) {
        e.counts = counts.at(e.length);
    }
    step_mode_seconds_ = 0.0;
    if (step_mode_applies(model)) {
        const auto start = std::chrono::steady_clock::now();
        const int64_t n = config_.eval.step_mode_length;
        tasks::DatasetSpec spec{task_.name(), task_.formulation(),
                                config_.seed, "step",
                                {n, n},       config_.eval.step_mode_examples};
        const StepModeResult r =
            evaluate_step_mode(model, tasks::generate_dataset(task_, spec).examples, num_classes_,
                               config_.eval.step_mode_window);
        LengthEvaluation e;
        e.mode = results::EvalMode::kStep;
        e.length = n;
        e.in_distribution = in_distribution(n);
        e.counts = r.counts;
        e.windows = r.windows;
        e.state_floats_start = r.state_floats_start;
        e.state_floats_end = r.state_floats_end;
        e.rss_mib_first = r.rss_mib_first;
        e.rss_mib_last = r.rss_mib_last;
        entries.push_back(std::move(e));
        step_mode_seconds_ =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    return entries;
}

}  // namespace statetrack::harness
