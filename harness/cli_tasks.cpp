// statetrack tasks list|show|export.
#include "harness/cli.h"

namespace statetrack::harness {

void add_tasks_commands(CLI::App& app) { app.add_subcommand("tasks", "Inspect and export tasks"); }

}  // namespace statetrack::harness
