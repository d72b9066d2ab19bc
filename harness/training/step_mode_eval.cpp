// evaluate_step_mode (see step_mode_eval.h).

#include "harness/training/step_mode_eval.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <stdexcept>

#include "harness/training/batch.h"
#include "harness/training/eval_mode_guard.h"
#include "harness/training/run_device.h"

namespace statetrack::harness {
namespace {

double resident_mib() {
    std::ifstream statm("/proc/self/statm");
    long long pages = 0;
    long long resident = 0;
    if (!(statm >> pages >> resident)) {
        return 0.0;
    }
    return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) /
           (1024.0 * 1024.0);
}

}  // namespace

StepModeResult evaluate_step_mode(model::SequenceModel& model,
                                  const std::vector<tasks::Example>& examples, int64_t num_classes,
                                  int64_t window) {
    if (!model.has_step_mode()) {
        throw std::invalid_argument(fmt::format("{}: no step mode to evaluate", model.type()));
    }
    if (examples.empty() || window < 1) {
        throw std::invalid_argument("evaluate_step_mode: needs examples and a window >= 1");
    }
    const Batch batch = make_batch(examples);
    for (const tasks::Example& e : examples) {
        if (static_cast<int64_t>(e.tokens.size()) != batch.length) {
            throw std::invalid_argument("evaluate_step_mode: examples differ in length");
        }
    }
    const EvalModeGuard eval_mode(model);
    const int64_t b = batch.tokens.size(0);
    const int64_t t_total = batch.length;
    const torch::Device device = device_of(model);  // predictions are scored on the CPU
    std::unique_ptr<model::StepState> state = model.start_state(b);
    StepModeResult result;
    result.state_floats_start = state->numel_per_sequence();
    // Predictions are collected per step and scored once per window, in (B, window) blocks;
    // a sequence is right overall when it is right in every window. Memory: O(B · window).
    std::vector<torch::Tensor> window_predictions;
    torch::Tensor sequence_wrong = torch::zeros({b}, torch::kBool);
    torch::Tensor sequence_scored = torch::zeros({b}, torch::kBool);
    int64_t window_start = 0;
    for (int64_t t = 0; t < t_total; ++t) {
        const torch::Tensor tokens = batch.tokens.select(1, t).contiguous().to(device);
        const torch::Tensor logits = model.step_logits(tokens, *state);  // (B,V)
        window_predictions.push_back(predict_classes(logits, num_classes));
        if (t == 0) {
            result.rss_mib_first = resident_mib();
        }
        if (t + 1 - window_start < window && t + 1 < t_total) {
            continue;
        }
        const torch::Tensor predictions = torch::stack(window_predictions, 1).to(torch::kCPU);
        const torch::Tensor targets = batch.targets.narrow(1, window_start, t + 1 - window_start);
        const WindowAccuracy w{window_start, t + 1, count_correct(predictions, targets)};
        result.windows.push_back(w);
        result.counts.scored += w.counts.scored;
        result.counts.correct += w.counts.correct;
        const torch::Tensor scored = targets.ge(0);
        sequence_scored.logical_or_(scored.any(1));
        sequence_wrong.logical_or_(predictions.ne(targets).logical_and(scored).any(1));
        window_predictions.clear();
        window_start = t + 1;
    }
    result.state_floats_end = state->numel_per_sequence();
    result.rss_mib_last = resident_mib();
    result.counts.sequences = sequence_scored.sum().item<int64_t>();
    result.counts.sequences_correct =
        sequence_scored.logical_and(sequence_wrong.logical_not()).sum().item<int64_t>();
    return result;
}

}  // namespace statetrack::harness
