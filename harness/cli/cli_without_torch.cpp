// `run` and `model` in a torch-free build (STATETRACK_WITH_TORCH=OFF; harness/cli/CMakeLists.txt
// compiles this file instead of cli_run.cpp and cli_model.cpp). The commands exist, so that
// `statetrack --help` lists the same commands in every build, and each says in one error line
// that it needs LibTorch instead of failing as an unknown command.
#include <fmt/format.h>

#include <stdexcept>

#include "harness/cli/cli.h"
#include "harness/cli/cli_checks.h"

namespace statetrack::harness {
namespace {

void add_needing_torch(CLI::App& app, const char* name, const char* description) {
    CLI::App* cmd = app.add_subcommand(name, description);
    cmd->allow_extras();
    cmd->prefix_command();
    cmd->callback([name] { require_torch_build(fmt::format("'{}'", name)); });
}

}  // namespace

void add_run_commands(CLI::App& app) {
    add_needing_torch(app, "run", "Train and evaluate one run (needs a build with LibTorch)");
}

void add_model_commands(CLI::App& app) {
    add_needing_torch(app, "model", "Inspect and run models (needs a build with LibTorch)");
}

}  // namespace statetrack::harness
