// statetrack automata classify|minimize|dot|accepts.
#include "harness/cli.h"

namespace statetrack::harness {

void add_automata_commands(CLI::App& app) {
    app.add_subcommand("automata", "Inspect a language: minimal DFA, algebra, membership");
}

}  // namespace statetrack::harness
