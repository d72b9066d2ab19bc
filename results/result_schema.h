// The fixed vocabulary of result.json (schema "statetrack.result/1", results/README.md), in one
// place for its writer (harness/training/result_writer.h) and its reader (result_record.h): the
// schema name, and the run status, the stop reason and the evaluation mode as enums, each with
// its one spelling in the file. parse_* throw std::invalid_argument
// "'x' is not one of 'a', 'b'".
#pragma once

#include <string>
#include <string_view>

namespace statetrack::results {

inline constexpr const char* kResultSchema = "statetrack.result/1";

// "complete" | "failed" (persistent non-finite loss; result.json keeps the error).
enum class RunStatus { kComplete, kFailed };
// Why training ended: "target_accuracy" (validation reached budget.target_accuracy),
// "max_steps", "time_budget" (budget.max_seconds), "non_finite" (the run failed).
enum class StopReason { kTargetAccuracy, kMaxSteps, kTimeBudget, kNonFinite };
// "parallel": one forward over whole sequences; "step": the recurrent form, token by token.
enum class EvalMode { kParallel, kStep };

const char* to_string(RunStatus status);
const char* to_string(StopReason reason);
const char* to_string(EvalMode mode);

RunStatus parse_run_status(std::string_view text);
StopReason parse_stop_reason(std::string_view text);
EvalMode parse_eval_mode(std::string_view text);

}  // namespace statetrack::results
