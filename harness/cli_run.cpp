// statetrack run CONFIG.json [--out DIR] [--resume] [--force] [--threads N] [--json]
// Trains and evaluates one run (run_config.h, run_driver.h) and writes DIR/result.json
// (default DIR: runs/<name>). Progress goes to stderr (a live bar on a terminal, plain lines
// otherwise), then one line saying where the result went; --json also prints the result on
// stdout. A bad config is one error line and writes nothing; a finished run is not redone
// without --force; a killed run continues from its last checkpoint with --resume. A run that
// fails (persistent non-finite loss) writes its result with status "failed" and exits 1.
#include "harness/cli.h"

#if STATETRACK_WITH_TORCH

#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

#include "harness/progress.h"
#include "harness/run_config.h"
#include "harness/run_driver.h"

namespace statetrack::harness {
namespace {

struct RunCliOptions {
    std::string config;
    std::string out;
    bool resume = false;
    bool force = false;
    int64_t threads = -1;
    bool json = false;
};

std::string accuracy_text(const nlohmann::json& summary, const char* split) {
    const nlohmann::json& s = summary[split];
    if (s.is_null() || s["token_accuracy"].is_null()) {
        return "-";
    }
    return fmt::format("{:.3f}", s["token_accuracy"].get<double>());
}

void run_command(const RunCliOptions& o) {
    const RunConfig config = load_run_config(o.config);
    RunOptions options;
    options.run_dir = o.out;
    options.resume = o.resume;
    options.force = o.force;
    options.threads = o.threads;
    options.progress_out = stderr;
    options.progress_live = stderr_is_terminal();
    const RunResult r = execute_run(config, options);
    const nlohmann::json& result = r.result;
    if (o.json) {
        std::printf("%s\n", result.dump(2).c_str());
        std::fflush(stdout);
    }
    if (result["status"] != "complete") {
        throw std::runtime_error(fmt::format("run '{}' failed: {} (result: {})", config.name,
                                             result["error"].get<std::string>(), r.result_path));
    }
    fmt::print(stderr,
               "{}{}: {} steps ({}), token accuracy in-distribution {}, beyond {}; "
               "result: {}\n",
               config.name,
               r.resumed  ? " (resumed)"
               : o.resume ? " (no checkpoint to resume: ran from step 0)"
                          : "",
               result["training"]["steps"].get<int64_t>(),
               result["training"]["stop_reason"].get<std::string>(),
               accuracy_text(result["summary"], "in_distribution"),
               accuracy_text(result["summary"], "out_of_distribution"), r.result_path);
}

}  // namespace

void add_run_commands(CLI::App& app) {
    auto o = std::make_shared<RunCliOptions>();
    CLI::App* cmd = app.add_subcommand(
        "run", "Train and evaluate one run from a JSON config (see docs/run-config.md)");
    cmd->add_option("config", o->config, "run config JSON file")->required();
    cmd->add_option("--out", o->out, "run directory (default: runs/<name>)");
    cmd->add_flag("--resume", o->resume, "continue from the run directory's last checkpoint");
    cmd->add_flag("--force", o->force, "start over even if the run finished or has a checkpoint");
    cmd->add_option("--threads", o->threads, "intra-op threads, overriding the config (0 = all)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_flag("--json", o->json, "print result.json on stdout");
    cmd->callback([o] { run_command(*o); });
}

}  // namespace statetrack::harness

#endif  // STATETRACK_WITH_TORCH
