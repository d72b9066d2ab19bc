// Formulation: how one automaton becomes a supervised task (which positions carry a target and
// what the target means). The anchors each fix one formulation (Merrill: state tagging; Delétang
// and Grazzi: final label; FLaRe: recognition; Zoology: recall), and the choice changes results,
// so statetrack makes it a per-task option. Exact semantics live in automaton_task.h.
#pragma once

#include <string>
#include <string_view>

namespace statetrack::tasks {

enum class Formulation {
    kStateTagging,       // "state_tagging": target = automaton state after every prefix
    kMembershipTagging,  // "membership_tagging": target = accept/reject after every prefix
    kFinalLabel,         // "final_label": one target at the last position (the task's label)
    kFinalState,         // "final_state": one target at the last position (the state reached)
    kRecognition,        // "recognition": balanced members/non-members, accept/reject at the end
    kRecall,             // "recall": associative recall, targets at query positions (MQAR only)
};

std::string to_string(Formulation f);
// Parses the names above. Throws std::invalid_argument naming the valid ones.
Formulation parse_formulation(std::string_view name);

}  // namespace statetrack::tasks
