// The statetrack command line: one CLI11 app, each command group registered from its own file
// (cli_automata.cpp, cli_tasks.cpp, ...). Errors from any command become one line on stderr,
// "statetrack: error: ...", and a non-zero exit; machine output goes to stdout only with --json.
#pragma once

#include <CLI/CLI.hpp>

namespace statetrack::harness {

int cli_main(int argc, char** argv);

void add_automata_commands(CLI::App& app);
void add_tasks_commands(CLI::App& app);
void add_report_commands(CLI::App& app);
void add_sweep_commands(CLI::App& app);
// cli_model.cpp and cli_run.cpp; in a torch-free build, cli_without_torch.cpp.
void add_model_commands(CLI::App& app);
void add_run_commands(CLI::App& app);

}  // namespace statetrack::harness
