// statetrack run CONFIG.json [--out DIR] [--resume] [--force] [--threads N] [--json]
// Trains and evaluates one run (run_config.h, run_driver.h) and writes DIR/result.json
// (default DIR: runs/<name>). Progress goes to stderr (a live bar on a terminal, plain lines
// otherwise), then one line saying where the result went; --json also prints the result on
// stdout. A bad config is one error line and writes nothing; a finished run is not redone
// without --force; a killed run continues from its last checkpoint with --resume. A run that
// fails (persistent non-finite loss) writes its result with status "failed" and exits 1.
// statetrack run --regex RE | --dfa F | --group G | --task SPEC --models a,b [--out DIR]
// instead trains every listed model on that language and writes the report (language_run.h).
#include <fmt/format.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

#include "harness/cli/cli.h"
#include "harness/cli/cli_checks.h"
#include "harness/cli/language_source.h"
#include "harness/runs/blas_info.h"
#include "harness/runs/run_config.h"
#include "harness/runs/sweep_grid.h"
#include "harness/runs/sweep_runner.h"
#include "harness/training/language_run.h"
#include "harness/training/progress.h"
#include "harness/training/run_driver.h"
#include "results/report_writer.h"
#include "results/result_schema.h"

namespace statetrack::harness {
namespace {

struct RunCliOptions {
    std::string config;
    // Language mode
    LanguageSource language;
    std::string models, formulation = "membership_tagging";
    int64_t steps = 1000;
    int64_t workers = 1;
    std::string out;
    bool resume = false;
    bool force = false;
    int64_t threads = -1;
    std::string device;  // "" = the config's
    int64_t device_slot = 0;
    bool json = false;
    int64_t parent_pid = 0;  // --exit-with-parent (sweep workers)
};

// A sweep's worker dies with the sweep: kill -9 of the sweep must not leave a run training on
// that a restarted sweep would start a second time. The check after prctl closes the race of a
// parent that died before it.
void exit_with_parent(int64_t parent_pid) {
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || ::getppid() != parent_pid) {
        throw std::runtime_error("the sweep that started this run is gone");
    }
}

std::string accuracy_text(const nlohmann::json& summary, const char* split) {
    const nlohmann::json& s = summary[split];
    if (s.is_null() || s["token_accuracy"].is_null()) {
        return "-";
    }
    return fmt::format("{:.3f}", s["token_accuracy"].get<double>());
}

void run_command(const RunCliOptions& o) {
    const RunConfig config = load_run_config(o.config);
    warn_if_generic_blas();
    RunOptions options;
    options.run_dir = o.out;
    options.resume = o.resume;
    options.force = o.force;
    options.threads = o.threads;
    options.device = o.device;
    options.device_slot = o.device_slot;
    options.progress_out = stderr;
    options.progress_live = stderr_is_terminal();
    const ExecutedRun r = execute_run(config, options);
    const nlohmann::json& result = r.result;
    if (o.json) {
        std::printf("%s\n", result.dump(2).c_str());
        std::fflush(stdout);
    }
    if (result["status"] != results::to_string(results::RunStatus::kComplete)) {
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

void run_language(const RunCliOptions& o, const std::string& spec) {
    if (o.models.empty()) {
        throw std::invalid_argument(
            "--models is required with a language, e.g. --models rwkv7,lstm");
    }
    LanguageRunRequest request;
    request.task_spec = spec;
    request.models = split_model_list(o.models);
    request.formulation = o.formulation;
    request.max_steps = o.steps;
    request.workers = o.workers;
    SweepConfig config = sweep_config_from_json(language_sweep_json(request));
    config.device = o.device;  // every run on --device (worker i on GPU i mod n)
    const std::vector<SweepPoint> points = expand_sweep(config);
    for (const SweepPoint& p : points) {  // every config error before anything is written
        parse_run_config(p.config);
    }
    const std::string out = o.out.empty() ? "runs/language" : o.out;
    const SweepOutcome outcome = SweepRunner(config, out, self_run_launcher()).run(points);
    if (outcome.failed > 0) {
        throw std::runtime_error(
            fmt::format("{} runs failed; see {}/runs/<id>/run.log", outcome.failed, out));
    }
    const results::WrittenReport report = results::write_report(out, out + "/report", {});
    fmt::print(stderr, "report: {}/report.html\n", report.out_dir);
}

}  // namespace

void add_run_commands(CLI::App& app) {
    auto o = std::make_shared<RunCliOptions>();
    CLI::App* cmd = app.add_subcommand(
        "run", "Train and evaluate one run from a JSON config (see docs/run-config.md)");
    cmd->add_option("config", o->config, "run config JSON file (or give a language instead)");
    o->language.add_source_options(*cmd);  // language mode: train on this language
    cmd->add_option("--models", o->models, "language mode: models, e.g. rwkv7,transformer,lstm");
    cmd->add_option("--formulation", o->formulation, "language mode: the task formulation")
        ->default_val(o->formulation);
    cmd->add_option("--steps", o->steps, "language mode: training steps per model")
        ->check(whole_number(1))
        ->default_val(o->steps);
    cmd->add_option("--workers", o->workers, "language mode: runs at once")
        ->check(whole_number(1))
        ->default_val(o->workers);
    cmd->add_option("--out", o->out, "run directory (default: runs/<name>)");
    cmd->add_flag("--resume", o->resume, "continue from the run directory's last checkpoint");
    cmd->add_flag("--force", o->force, "start over even if the run finished or has a checkpoint");
    cmd->add_option("--threads", o->threads, "intra-op threads, overriding the config (0 = all)")
        ->check(whole_number(0));
    cmd->add_option("--device", o->device,
                    "cpu, cuda, cuda:N or auto, overriding the config's device")
        ->check(device_spec());
    cmd->add_option("--device-slot", o->device_slot, "(sweep workers) worker slot for --device")
        ->group("")
        ->check(whole_number(0));
    cmd->add_flag("--json", o->json, "print result.json on stdout");
    cmd->add_option("--exit-with-parent", o->parent_pid, "(sweep workers) exit when PID exits")
        ->group("")
        ->check(whole_number(1));
    cmd->callback([o] {
        if (o->parent_pid > 0) {
            exit_with_parent(o->parent_pid);
        }
        const bool language = o->language.given() > 0;
        if (language == !o->config.empty()) {
            throw std::invalid_argument(
                "run: give a run config file, or a language (--task/--regex/--dfa/--group) "
                "with --models");
        }
        language ? run_language(*o, o->language.task_spec()) : run_command(*o);
    });
}

}  // namespace statetrack::harness
