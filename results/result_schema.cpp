// result.json's enums <-> their spellings (see result_schema.h), as core/enum_names.h tables.
#include "results/result_schema.h"

#include "core/enum_names.h"

namespace statetrack::results {
namespace {

constexpr auto kStatuses =
    core::enum_names(RunStatus::kComplete, "complete", RunStatus::kFailed, "failed");
constexpr auto kStopReasons =
    core::enum_names(StopReason::kTargetAccuracy, "target_accuracy", StopReason::kMaxSteps,
                     "max_steps", StopReason::kTimeBudget, "time_budget",
                     StopReason::kNonFinite, "non_finite");
constexpr auto kModes = core::enum_names(EvalMode::kParallel, "parallel", EvalMode::kStep, "step");

}  // namespace

const char* to_string(RunStatus status) { return kStatuses.name(status).data(); }
const char* to_string(StopReason reason) { return kStopReasons.name(reason).data(); }
const char* to_string(EvalMode mode) { return kModes.name(mode).data(); }

RunStatus parse_run_status(std::string_view text) { return kStatuses.parse(text); }
StopReason parse_stop_reason(std::string_view text) { return kStopReasons.parse(text); }
EvalMode parse_eval_mode(std::string_view text) { return kModes.parse(text); }

}  // namespace statetrack::results
