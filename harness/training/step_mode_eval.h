// Step-mode evaluation: a model with a step mode (SequenceModel::has_step_mode) reads long
// inputs one token at a time, all B sequences in lock step, as a deployed RNN would. This is the
// "very long input" check (e.g. 10 000 tokens, far past training): the model's memory is its
// step state, whose size is measured from the real tensors before the first and after the last
// token; a recurrent model's stays the same (flat memory), a KV cache's grows.
// The process's resident memory is sampled too (after the first and the last token; Linux
// /proc/self/statm, 0 elsewhere): a whole-process figure, so only its growth is meaningful.
// Accuracy is reported overall and per window of `window` positions ([0, w), [w, 2w), ...), so
// a decay with position shows up. Examples must all have the same length T.
#pragma once

#include <cstdint>
#include <vector>

#include "harness/training/accuracy.h"
#include "model/sequence_model.h"
#include "tasks/task.h"

namespace statetrack::harness {

struct WindowAccuracy {
    int64_t start = 0;  // first position
    int64_t end = 0;    // one past the last
    AccuracyCounts counts;
};

struct StepModeResult {
    AccuracyCounts counts;
    std::vector<WindowAccuracy> windows;
    int64_t state_floats_start = 0;  // per sequence, before the first token
    int64_t state_floats_end = 0;    // per sequence, after the last token
    double rss_mib_first = 0.0;      // resident memory after the first token
    double rss_mib_last = 0.0;       // resident memory after the last token
};

// Throws std::invalid_argument when the model has no step mode, the list is empty or the
// lengths differ.
StepModeResult evaluate_step_mode(model::SequenceModel& model,
                                  const std::vector<tasks::Example>& examples, int64_t num_classes,
                                  int64_t window);

}  // namespace statetrack::harness
