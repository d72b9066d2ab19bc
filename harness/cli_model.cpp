// statetrack model info|forward|export|import.
#include "harness/cli.h"

namespace statetrack::harness {

#if STATETRACK_WITH_TORCH
void add_model_commands(CLI::App& app) {
    app.add_subcommand("model", "Inspect, run and convert models");
}
#endif

}  // namespace statetrack::harness
