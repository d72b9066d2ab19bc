// Formulation names. See formulation.h.
#include "tasks/formulation.h"

#include <fmt/format.h>

#include <optional>
#include <stdexcept>

#include "core/enum_names.h"

namespace statetrack::tasks {

namespace {

constexpr auto kNames = core::enum_names(
    Formulation::kStateTagging, "state_tagging", Formulation::kMembershipTagging,
    "membership_tagging", Formulation::kFinalLabel, "final_label", Formulation::kFinalState,
    "final_state", Formulation::kRecognition, "recognition", Formulation::kRecall, "recall");

}  // namespace

std::string to_string(Formulation f) {
    const std::optional<std::string_view> name = kNames.find_name(f);
    return name ? std::string(*name) : throw std::logic_error("formulation: unnamed enum value");
}

Formulation parse_formulation(std::string_view name) {
    if (const std::optional<Formulation> f = kNames.find(name)) {
        return *f;
    }
    throw std::invalid_argument(
        fmt::format("unknown formulation '{}' (valid: {})", name, kNames.list("")));
}

}  // namespace statetrack::tasks
