// Formulation names. See formulation.h.
#include "tasks/formulation.h"

#include <fmt/format.h>

#include <array>
#include <stdexcept>
#include <utility>

namespace statetrack::tasks {

namespace {

constexpr std::array<std::pair<Formulation, std::string_view>, 6> kNames{{
    {Formulation::kStateTagging, "state_tagging"},
    {Formulation::kMembershipTagging, "membership_tagging"},
    {Formulation::kFinalLabel, "final_label"},
    {Formulation::kFinalState, "final_state"},
    {Formulation::kRecognition, "recognition"},
    {Formulation::kRecall, "recall"},
}};

}  // namespace

std::string to_string(Formulation f) {
    for (const auto& [value, name] : kNames) {
        if (value == f) {
            return std::string(name);
        }
    }
    throw std::logic_error("formulation: unnamed enum value");
}

Formulation parse_formulation(std::string_view name) {
    std::string valid;
    for (const auto& [value, known] : kNames) {
        if (known == name) {
            return value;
        }
        valid += valid.empty() ? "" : ", ";
        valid += known;
    }
    throw std::invalid_argument(fmt::format("unknown formulation '{}' (valid: {})", name, valid));
}

}  // namespace statetrack::tasks
