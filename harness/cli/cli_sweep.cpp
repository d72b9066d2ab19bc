// statetrack sweep|merge: run a grid of runs, resumably and shardably, here or on Slurm; join
// shards.
//   sweep CONFIG.json [--out DIR (sweeps/<name>)] [--shard k/n] [--workers N] [--threads N]
//                     [--device D] [--dry-run] [--json]
//   sweep CONFIG.json --slurm [--partition P] [--max-parallel N] [--time T] [--cpus-per-task C]
//                     [--gres G] [--sbatch-arg ARG]... [--wait]       (docs/cluster.md)
//   sweep CONFIG.json --slurm --status
//   merge OUT SHARD_DIR...
// Progress goes to stderr; --dry-run lists the points (id, group, shard membership) and starts
// nothing; --json prints the outcome (or the point list, or the status) as JSON on stdout.
// `--slurm` prints the submitted job id on stdout. The hidden `--slurm-group G` is what an
// array task runs (slurm_script.h).
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/cli/cli.h"
#include "harness/cli/cli_checks.h"
#include "harness/runs/blas_info.h"
#include "harness/runs/run_lock.h"
#include "harness/runs/slurm_sweep.h"
#include "harness/runs/sweep_config.h"
#include "harness/runs/sweep_grid.h"
#include "harness/runs/sweep_merge.h"
#include "harness/runs/sweep_runner.h"

namespace statetrack::harness {
namespace {
namespace fs = std::filesystem;

struct SweepOptions {
    std::string config;
    std::string out;
    std::string shard = "1/1";
    int64_t workers = 0;  // 0 = the config's
    int64_t threads = 0;  // 0 = the config's
    std::string device;   // "" = each run config's
    bool dry_run = false;
    bool json = false;
    bool slurm = false;
    bool status = false;
    bool wait = false;
    SlurmOptions cluster;
    int64_t slurm_group = -1;  // >= 0: run as the array task of this group
    std::string merge_out;
    std::vector<std::string> merge_inputs;
};

void print_points(const std::vector<SweepPoint>& points, bool json) {
    nlohmann::json list = nlohmann::json::array();
    for (const SweepPoint& p : points) {
        list.push_back({{"id", p.id}, {"index", p.index}, {"group", p.group}});
        if (!json) {
            std::printf("%s\n", p.id.c_str());
        }
    }
    if (json) {
        std::printf("%s\n", list.dump(2).c_str());
    }
}

void run_local(const SweepOptions& o, const SweepConfig& config,
               const std::vector<SweepPoint>& points, const std::string& out) {
    warn_if_generic_blas();
    SweepRunner runner(config, out, self_run_launcher());
    const SweepOutcome r = runner.run(points);
    const nlohmann::json summary = {{"out", out},
                                    {"finished_before", r.finished_before},
                                    {"completed", r.completed},
                                    {"skipped_by_min_depth", r.skipped},
                                    {"failed", r.failed}};
    if (o.json) {
        std::printf("%s\n", summary.dump(2).c_str());
    }
    std::fprintf(stderr, "sweep %s: %ld completed, %ld already finished, %ld skipped, %ld failed\n",
                 config.name.c_str(), r.completed, r.finished_before, r.skipped, r.failed);
    if (r.failed > 0) {
        throw std::runtime_error(fmt::format(
            "{} runs failed (their run.log is in {}/runs/<id>/); run the sweep again to retry them",
            r.failed, out));
    }
}

double unix_seconds() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// One array task: the runs of one group, one at a time, unless another task already has it.
void run_slurm_task(const SweepOptions& o, SweepConfig config, const std::string& out) {
    std::vector<SweepPoint> points;
    for (SweepPoint& p : expand_sweep(config)) {
        if (p.group == o.slurm_group) {
            points.push_back(std::move(p));
        }
    }
    if (points.empty()) {
        throw std::invalid_argument(
            fmt::format("--slurm-group {}: the sweep has no such group", o.slurm_group));
    }
    const std::unique_ptr<RunLock> lock = RunLock::try_lock(
        (fs::path(out) / "slurm" / "locks" / fmt::format("group-{}", o.slurm_group)).string());
    if (!lock) {
        std::fprintf(stderr, "slurm task: group %ld is being run by another task; nothing to do\n",
                     o.slurm_group);
        return;
    }
    config.workers = 1;
    SweepRunner runner(config, out, self_run_launcher());
    runner.without_status_file();
    // Times in the task's log: how long Slurm took to start it, and when it ran (docs/cluster.md).
    std::fprintf(stderr, "slurm task: group %ld: start at %.3f\n", o.slurm_group, unix_seconds());
    const SweepOutcome r = runner.run(points);
    std::fprintf(stderr, "slurm task: group %ld: end at %.3f\n", o.slurm_group, unix_seconds());
    if (r.failed > 0) {
        throw std::runtime_error(
            fmt::format("group {}: {} of its runs failed", o.slurm_group, r.failed));
    }
}

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void print_status(const std::vector<SlurmRunStatus>& runs, bool json) {
    std::map<std::string, int64_t> counts;
    nlohmann::json list = nlohmann::json::array();
    if (!json) {
        std::printf("%-40s %6s  %-13s %s\n", "run", "group", "state",
                    "error and log (failed runs)");
    }
    for (const SlurmRunStatus& s : runs) {
        const std::string state = slurm_run_state_name(s.state);
        ++counts[state];
        nlohmann::json entry = {{"id", s.id}, {"group", s.group}, {"state", state}};
        if (s.state == SlurmRunState::failed) {
            entry["log"] = s.log;
            entry["error"] = s.error;
        }
        list.push_back(entry);
        if (!json) {
            std::printf("%-40s %6ld  %-13s %s%s%s\n", s.id.c_str(), s.group, state.c_str(),
                        s.error.c_str(), s.log.empty() ? "" : "  log: ", s.log.c_str());
        }
    }
    if (json) {
        std::printf("%s\n", nlohmann::json{{"runs", list}, {"counts", counts}}.dump(2).c_str());
    }
    std::string line;
    for (const auto& [state, n] : counts) {
        line += fmt::format("{}{} {}", line.empty() ? "" : ", ", n, state);
    }
    std::fprintf(stderr, "slurm: %zu runs: %s\n", runs.size(), line.c_str());
}

void run_slurm(const SweepOptions& o, const SweepConfig& config,
               const std::vector<SweepPoint>& points, const std::string& out) {
    const SlurmSweep sweep(read_text(o.config), config, points, out, SlurmClient());
    if (o.status) {
        print_status(sweep.status(), o.json);
        return;
    }
    SlurmOptions cluster = o.cluster;
    cluster.device = o.device;
    const std::optional<SlurmSubmission> s =
        sweep.submit(fs::read_symlink("/proc/self/exe").string(), cluster);
    if (s) {
        std::printf("%ld\n", s->job);
        std::fflush(stdout);
        std::fprintf(stderr,
                     "slurm: submitted job %ld: %zu array tasks (--array=%s); script "
                     "%s/sweep.sbatch, logs %s/logs/\n",
                     s->job, s->groups.size(), s->array.c_str(), sweep.slurm_dir().c_str(),
                     sweep.slurm_dir().c_str());
    } else {
        std::fprintf(stderr, "slurm: nothing to submit: every run is finished or queued\n");
    }
    if (o.wait) {  // also follows tasks queued by an earlier or a concurrent submission
        const int64_t failed = sweep.wait(std::chrono::milliseconds(1000));
        if (failed > 0) {
            throw std::runtime_error(fmt::format(
                "{} runs failed; `--slurm --status` lists them, and the same --slurm command "
                "submits them again",
                failed));
        }
    }
}

void run_sweep(const SweepOptions& o) {
    SweepConfig config = load_sweep_config(o.config);
    if (o.workers > 0) {
        config.workers = o.workers;
    }
    if (o.threads > 0) {
        config.threads = o.threads;
    }
    config.device = o.device;
    const std::string out = o.out.empty() ? "sweeps/" + config.name : o.out;
    if (o.slurm_group >= 0) {
        require_torch_build("an array task (--slurm-group)");
        run_slurm_task(o, config, out);
        return;
    }
    const Shard shard = parse_shard(o.shard);
    const std::vector<SweepPoint> points = select_shard(expand_sweep(config), shard);
    if (o.dry_run) {
        print_points(points, o.json);
    } else if (o.slurm) {
        if (!o.status) {
            require_torch_build("'sweep --slurm' (its array tasks run `statetrack run`)");
        }
        run_slurm(o, config, points, out);
    } else {
        require_torch_build("'sweep' (without --dry-run)");
        std::fprintf(stderr, "sweep %s: %zu runs (shard %ld/%ld) into %s\n", config.name.c_str(),
                     points.size(), shard.k, shard.n, out.c_str());
        run_local(o, config, points, out);
    }
}

void add_slurm_options(CLI::App* sweep, SweepOptions& o) {
    auto* slurm = sweep->add_flag("--slurm", o.slurm,
                                  "Submit the sweep to Slurm as one job array (docs/cluster.md)");
    sweep->add_flag("--status", o.status, "With --slurm: the state of every run")->needs(slurm);
    sweep->add_flag("--wait", o.wait, "With --slurm: follow the job; fail if a run failed")
        ->needs(slurm);
    sweep->add_option("--partition", o.cluster.partition, "Slurm partition")->needs(slurm);
    sweep->add_option("--max-parallel", o.cluster.max_parallel, "Array tasks at once (%N)")
        ->check(whole_number(1))
        ->needs(slurm);
    sweep->add_option("--time", o.cluster.time, "Time limit per task, [D-]HH:MM:SS")->needs(slurm);
    sweep->add_option("--cpus-per-task", o.cluster.cpus_per_task, "CPUs (and threads) per task")
        ->check(whole_number(1, 1024))
        ->needs(slurm);
    sweep->add_option("--gres", o.cluster.gres, "Generic resources per task, e.g. gpu:1")
        ->needs(slurm);
    sweep->add_option("--sbatch-arg", o.cluster.sbatch_args, "Extra #SBATCH line, e.g. --mem=8G")
        ->needs(slurm);
    sweep->add_option("--slurm-group", o.slurm_group, "(array tasks) run this group")
        ->group("")
        ->check(whole_number(0));
}

}  // namespace

void add_sweep_commands(CLI::App& app) {
    auto o = std::make_shared<SweepOptions>();
    auto* sweep = app.add_subcommand("sweep", "Run a grid of runs (resumable, shardable)");
    sweep->add_option("config", o->config, "Sweep config JSON (docs/run-config.md)")->required();
    sweep->add_option("--out", o->out, "Output folder (default sweeps/<name>)");
    sweep->add_option("--shard", o->shard, "Run shard k of n of the grid, e.g. 3/16")
        ->default_val(o->shard);
    sweep
        ->add_option("--device", o->device,
                     "Device of every run (cpu, cuda, cuda:N, auto; default: each config's); "
                     "with cuda, worker i takes GPU i mod the GPU count")
        ->check(device_spec());
    sweep->add_option("--workers", o->workers, "Runs at once (default: the config's)")
        ->check(whole_number(1));
    sweep->add_option("--threads", o->threads, "Torch threads per run (default: the config's)")
        ->check(whole_number(1, 1024));
    sweep->add_flag("--dry-run", o->dry_run, "List the runs of this shard; start nothing");
    sweep->add_flag("--json", o->json, "Print JSON on stdout");
    add_slurm_options(sweep, *o);
    sweep->callback([o] { run_sweep(*o); });

    auto* merge = app.add_subcommand("merge", "Join the output folders of a sweep's shards");
    merge->add_option("out", o->merge_out, "Merged output folder")->required();
    merge->add_option("shards", o->merge_inputs, "Shard output folders")->required();
    merge->callback([o] {
        const int64_t n = merge_sweep_shards(o->merge_out, o->merge_inputs);
        std::fprintf(stderr, "merge: %ld runs in %s\n", n, o->merge_out.c_str());
    });
}

}  // namespace statetrack::harness
