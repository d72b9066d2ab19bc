// cli_main: builds the app from the command groups and turns every failure into one line.
#include "harness/cli.h"

#include <fmt/format.h>

#include <cstdio>
#include <exception>

namespace statetrack::harness {

int cli_main(int argc, char** argv) {
    CLI::App app{"statetrack: which sequence models can track state?", "statetrack"};
    app.set_version_flag("--version", fmt::format("statetrack {} ({})", STATETRACK_VERSION,
                                                  STATETRACK_GIT_COMMIT));
    app.require_subcommand(1);
    add_automata_commands(app);
    add_tasks_commands(app);
    add_report_commands(app);
#if STATETRACK_WITH_TORCH
    add_model_commands(app);
    add_sweep_commands(app);
    add_run_commands(app);
#endif
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::fprintf(stderr, "statetrack: error: %s (see --help)\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "statetrack: error: %s\n", e.what());
        return 1;
    }
    return 0;
}

}  // namespace statetrack::harness
