// TrainingState: everything about a run in progress that is not a tensor: the step reached,
// counters, the curve so far and the time spent. A checkpoint stores it next to the model and
// optimiser (checkpoint.h), so a resumed run continues with exactly these values; the result
// writer copies it into result.json "training" (results/README.md).
// JSON doubles round-trip exactly (nlohmann writes 17 significant digits), which keeps a resumed
// run's running loss sums, hence its curve, bit-identical to an uninterrupted run's.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace statetrack::harness {

struct CurvePoint {
    int64_t step = 0;       // steps done when measured
    double loss = 0.0;      // mean training loss over the finite steps since the last point
                            // (NaN when every step in the window was skipped; JSON null)
    double accuracy = 0.0;  // validation token accuracy
    double sequence_accuracy = 0.0;  // validation sequence accuracy
    double lr = 0.0;                 // lr of the last step
    double seconds = 0.0;            // training wall time so far
};

struct TimeBreakdown {
    double data = 0.0;            // sampling examples and building batches
    double train = 0.0;           // forward, loss, backward, clipping, optimiser step
    double eval = 0.0;            // validation points, test-set generation and final evaluation
    double eval_step_mode = 0.0;  // the part of eval spent in step mode (step_mode_eval.h)
    double checkpoint = 0.0;      // writing checkpoints
    double total = 0.0;           // the whole run, every segment (resumes) added up
};

struct TrainingState {
    int64_t step = 0;  // steps done; the next step to run
    int64_t examples = 0;
    int64_t tokens = 0;
    int64_t skipped_non_finite = 0;
    int64_t consecutive_non_finite = 0;
    double window_loss_sum = 0.0;  // finite losses since the last curve point
    int64_t window_steps = 0;
    double last_lr = 0.0;
    double train_wall_seconds = 0.0;  // training-loop wall time (max_seconds counts this)
    std::vector<CurvePoint> curve;
    TimeBreakdown seconds;
    std::string started_at;  // ISO 8601 UTC of the first segment
};

nlohmann::json to_json(const CurvePoint& p);
nlohmann::json to_json(const TimeBreakdown& t);
nlohmann::json to_json(const TrainingState& s);
// Throws std::runtime_error naming `source` and the key on a malformed object.
TrainingState training_state_from_json(const nlohmann::json& j, const std::string& source);

}  // namespace statetrack::harness
