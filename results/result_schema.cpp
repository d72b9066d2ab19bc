// result.json's enums <-> their spellings (see result_schema.h).
#include "results/result_schema.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>
#include <stdexcept>
#include <utility>
#include <vector>

namespace statetrack::results {
namespace {

template <typename Enum, size_t N>
using Spellings = std::array<std::pair<Enum, const char*>, N>;

constexpr Spellings<RunStatus, 2> kStatuses{
    {{RunStatus::kComplete, "complete"}, {RunStatus::kFailed, "failed"}}};
constexpr Spellings<StopReason, 4> kStopReasons{{{StopReason::kTargetAccuracy, "target_accuracy"},
                                                 {StopReason::kMaxSteps, "max_steps"},
                                                 {StopReason::kTimeBudget, "time_budget"},
                                                 {StopReason::kNonFinite, "non_finite"}}};
constexpr Spellings<EvalMode, 2> kModes{
    {{EvalMode::kParallel, "parallel"}, {EvalMode::kStep, "step"}}};

template <typename Enum, size_t N>
const char* spell(const Spellings<Enum, N>& spellings, Enum value) {
    for (const auto& [e, name] : spellings) {
        if (e == value) {
            return name;
        }
    }
    throw std::logic_error("result_schema: an enum value without a spelling");
}

template <typename Enum, size_t N>
Enum parse(const Spellings<Enum, N>& spellings, std::string_view text) {
    std::vector<std::string> names;
    for (const auto& [e, name] : spellings) {
        if (text == name) {
            return e;
        }
        names.push_back(fmt::format("'{}'", name));
    }
    throw std::invalid_argument(fmt::format("'{}' is not one of {}", text, fmt::join(names, ", ")));
}

}  // namespace

const char* to_string(RunStatus status) { return spell(kStatuses, status); }
const char* to_string(StopReason reason) { return spell(kStopReasons, reason); }
const char* to_string(EvalMode mode) { return spell(kModes, mode); }

RunStatus parse_run_status(std::string_view text) { return parse(kStatuses, text); }
StopReason parse_stop_reason(std::string_view text) { return parse(kStopReasons, text); }
EvalMode parse_eval_mode(std::string_view text) { return parse(kModes, text); }

}  // namespace statetrack::results
