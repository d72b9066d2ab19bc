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

#include "results/result_record.h"

namespace statetrack::harness {

// The curve and time breakdown are result.json's (results/result_record.h).
using results::CurvePoint;
using results::TimeBreakdown;

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

nlohmann::json to_json(const TrainingState& s);
// Throws std::runtime_error naming `source` and the key on a malformed object.
TrainingState training_state_from_json(const nlohmann::json& j, const std::string& source);

}  // namespace statetrack::harness
