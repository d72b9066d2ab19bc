// statetrack sweep|merge: run a grid of runs, resumably and shardably; join shards.
//   sweep CONFIG.json [--out DIR (sweeps/<name>)] [--shard k/n] [--workers N] [--dry-run] [--json]
//   merge OUT SHARD_DIR...
// Progress goes to stderr; --dry-run lists the points (id, group, shard membership) and starts
// nothing; --json prints the outcome (or the point list) as JSON on stdout.
#if STATETRACK_WITH_TORCH  // uses core/json_config.h and core/atomic_file.h
#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/cli.h"
#include "harness/cli_checks.h"
#include "harness/sweep_config.h"
#include "harness/sweep_grid.h"
#include "harness/sweep_merge.h"
#include "harness/sweep_runner.h"

namespace statetrack::harness {
namespace {

struct SweepOptions {
    std::string config;
    std::string out;
    std::string shard = "1/1";
    int64_t workers = 0;  // 0 = the config's
    std::string device;   // "" = each run config's
    bool dry_run = false;
    bool json = false;
    std::string merge_out;
    std::vector<std::string> merge_inputs;
};

void run_sweep(const SweepOptions& o) {
    SweepConfig config = load_sweep_config(o.config);
    if (o.workers > 0) {
        config.workers = o.workers;
    }
    config.device = o.device;
    const Shard shard = parse_shard(o.shard);
    const std::vector<SweepPoint> points = select_shard(expand_sweep(config), shard);
    const std::string out = o.out.empty() ? "sweeps/" + config.name : o.out;
    if (o.dry_run) {
        nlohmann::json list = nlohmann::json::array();
        for (const SweepPoint& p : points) {
            list.push_back({{"id", p.id}, {"index", p.index}, {"group", p.group}});
            if (!o.json) {
                std::printf("%s\n", p.id.c_str());
            }
        }
        if (o.json) {
            std::printf("%s\n", list.dump(2).c_str());
        }
        return;
    }
    std::fprintf(stderr, "sweep %s: %zu runs (shard %ld/%ld) into %s\n", config.name.c_str(),
                 points.size(), shard.k, shard.n, out.c_str());
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
    sweep->add_flag("--dry-run", o->dry_run, "List the runs of this shard; start nothing");
    sweep->add_flag("--json", o->json, "Print JSON on stdout");
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

#endif  // STATETRACK_WITH_TORCH
