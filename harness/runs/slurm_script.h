// The batch script of a sweep submitted to Slurm as one job array (docs/cluster.md): array task
// G runs group G of the sweep (the groups of `--shard`; a minimum-depth search stays in one
// task) with `statetrack sweep ... --slurm-group G`. Pure text: nothing here talks to Slurm.
// Contract: slurm_array_spec lists group numbers as Slurm's --array syntax ("0-3,7,9-10",
// then "%N" when at most N tasks may run at once); sbatch_script renders a readable, commented
// script that can also be submitted again by hand. Paths must be absolute and free of
// whitespace (checked by check_slurm_path), since #SBATCH lines do not quote.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace statetrack::harness {

// What the user asked of the cluster (`statetrack sweep --slurm`, docs/cli.md).
struct SlurmOptions {
    std::string partition;                 // "" = the cluster's default
    int64_t max_parallel = 0;              // 0 = no throttle
    std::string time;                      // "" = the partition's default; else [D-]HH:MM:SS
    int64_t cpus_per_task = 1;             // also the torch threads of each run
    std::string gres;                      // e.g. "gpu:1"; "" = none
    std::vector<std::string> sbatch_args;  // extra #SBATCH lines, e.g. "--mem=8G"
    std::string device;                    // --device of every run; "" = each run config's
};

// Group numbers (any order, duplicates allowed, at least one) as an --array value.
std::string slurm_array_spec(std::vector<int64_t> groups, int64_t max_parallel);

// Throws std::invalid_argument naming `what` when `path` is relative or has whitespace or quotes.
void check_slurm_path(const std::string& what, const std::string& path);

struct SlurmScriptPaths {
    std::string executable;    // the statetrack binary the tasks run
    std::string sweep_config;  // the sweep config the tasks read
    std::string out_dir;       // the sweep's output folder (shared by every task)
};

std::string sbatch_script(const std::string& sweep_name, const SlurmScriptPaths& paths,
                          const std::string& array_spec, const SlurmOptions& options);

}  // namespace statetrack::harness
