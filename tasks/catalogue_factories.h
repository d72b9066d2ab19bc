// Builds the Task of one catalogue entry from its parsed spec (internal to the catalogue; callers
// use make_task() in task_catalogue.h, which has already checked the formulation).
#pragma once

#include <memory>

#include "tasks/task.h"
#include "tasks/task_catalogue.h"
#include "tasks/task_spec.h"

namespace statetrack::tasks {

std::unique_ptr<Task> build_catalogue_task(const CatalogueEntry& entry, const TaskSpec& spec,
                                           Formulation formulation);

}  // namespace statetrack::tasks
