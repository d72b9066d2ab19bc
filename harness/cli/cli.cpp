// cli_main: builds the app from the command groups and turns every failure into one line.
#include "harness/cli/cli.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "core/strict_json.h"
#include "harness/runs/blas_info.h"
#include "harness/runs/build_info.h"

namespace statetrack::harness {
namespace {

// Error lines stay one short line whatever the user typed (core::quote_for_message).
constexpr size_t kMaxErrorChars = 500;

// "unknown command 'frobnicate' (commands: automata, tasks, ...)" when the first argument names
// no subcommand; CLI11 alone says only that one is required.
std::string unknown_command_message(CLI::App& app, const char* first) {
    std::vector<std::string> names;
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
        names.push_back(sub->get_name());
    }
    return fmt::format("unknown command '{}' (commands: {})", core::quote_for_message(first, 40),
                       fmt::join(names, ", "));
}

bool names_no_subcommand(CLI::App& app, int argc, char** argv) {
    if (argc < 2 || argv[1][0] == '-') {
        return false;
    }
    try {
        app.get_subcommand(argv[1]);
        return false;
    } catch (const CLI::OptionNotFound&) {
        return true;
    }
}

}  // namespace

int cli_main(int argc, char** argv) {
    CLI::App app{"statetrack: which sequence models can track state?", "statetrack"};
    app.set_version_flag("--version", fmt::format("statetrack {} ({})\n{}", statetrack_version(),
                                                  git_commit(), blas_info().summary()));
    app.require_subcommand(1);
    add_automata_commands(app);
    add_tasks_commands(app);
    add_report_commands(app);
    add_model_commands(app);
    add_sweep_commands(app);
    add_run_commands(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        const std::string what = names_no_subcommand(app, argc, argv)
                                     ? unknown_command_message(app, argv[1])
                                     : core::quote_for_message(e.what(), kMaxErrorChars);
        std::fprintf(stderr, "statetrack: error: %s (see --help)\n", what.c_str());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "statetrack: error: %s\n",
                     core::quote_for_message(e.what(), kMaxErrorChars).c_str());
        return 1;
    }
    return 0;
}

}  // namespace statetrack::harness
