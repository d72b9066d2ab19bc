// The task catalogue: every named task, its source definition, parameters and formulations, and
// make_task(), which builds a Task from a spec string (grammar in task_spec.h).
// Canonical names: Task::name() is the spec with every parameter written out
// ("dyck" -> "dyck:k=2,depth=3", "group:S5" -> "group:S5/elements"), so a dataset header records
// exactly what generated it and make_task(task.name()) rebuilds the same task.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tasks/formulation.h"
#include "tasks/task.h"

namespace statetrack::tasks {

struct CatalogueEntry {
    std::string name;         // "parity", "group", ...
    std::string usage;        // "dyck[:k=K,depth=D]" with defaults in the description
    std::string source;       // the anchor it follows, e.g. "Delétang et al. 2023 (parity_check)"
    std::string description;  // definition, parameters, and differences from other anchors
    Formulation default_formulation;
    std::vector<Formulation> formulations;  // supported, default first
};

// All entries, in display order.
const std::vector<CatalogueEntry>& task_catalogue();
// Throws std::invalid_argument listing the valid names when `name` is unknown.
const CatalogueEntry& catalogue_entry(std::string_view name);

// Builds the task; formulation nullopt = the entry's default. Throws std::invalid_argument with
// one line naming the problem: unknown name, bad spec syntax, bad parameter, unsupported
// formulation, unreadable DFA file, bad regex or group.
std::unique_ptr<Task> make_task(std::string_view spec,
                                std::optional<Formulation> formulation = std::nullopt);

}  // namespace statetrack::tasks
