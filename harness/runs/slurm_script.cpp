// Slurm batch script text (see slurm_script.h).
#include "harness/runs/slurm_script.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace statetrack::harness {

std::string slurm_array_spec(std::vector<int64_t> groups, int64_t max_parallel) {
    if (groups.empty()) {
        throw std::invalid_argument("slurm: an array needs at least one task");
    }
    std::sort(groups.begin(), groups.end());
    groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
    std::string spec;
    for (size_t i = 0; i < groups.size();) {
        size_t j = i;
        while (j + 1 < groups.size() && groups[j + 1] == groups[j] + 1) {
            ++j;
        }
        spec += spec.empty() ? "" : ",";
        spec += j == i ? fmt::format("{}", groups[i]) : fmt::format("{}-{}", groups[i], groups[j]);
        i = j + 1;
    }
    if (max_parallel > 0) {
        spec += fmt::format("%{}", max_parallel);
    }
    return spec;
}

void check_slurm_path(const std::string& what, const std::string& path) {
    if (path.empty() || path.front() != '/') {
        throw std::invalid_argument(
            fmt::format("slurm: {} '{}' must be an absolute path", what, path));
    }
    if (path.find_first_of(" \t\n\r'\"\\$`") != std::string::npos) {
        throw std::invalid_argument(fmt::format(
            "slurm: {} '{}' has whitespace, quotes or shell characters, which #SBATCH lines "
            "cannot carry; choose another path",
            what, path));
    }
}

namespace {

// A value on an #SBATCH line: one line, no shell expansion inside the directive.
void check_directive(const char* what, const std::string& value) {
    if (value.find_first_of("\n\r") != std::string::npos) {
        throw std::invalid_argument(fmt::format("slurm: {} must be one line", what));
    }
}

}  // namespace

std::string sbatch_script(const std::string& sweep_name, const SlurmScriptPaths& paths,
                          const std::string& array_spec, const SlurmOptions& options) {
    check_directive("the sweep name", sweep_name);
    check_directive("--partition", options.partition);
    check_directive("--time", options.time);
    check_directive("--gres", options.gres);
    for (const std::string& arg : options.sbatch_args) {
        check_directive("--sbatch-arg", arg);
        if (arg.empty() || arg.front() != '-') {
            throw std::invalid_argument(fmt::format(
                "slurm: --sbatch-arg '{}' is not an sbatch option (they start with '-')", arg));
        }
    }
    check_slurm_path("statetrack executable", paths.executable);
    check_slurm_path("sweep config", paths.sweep_config);
    check_slurm_path("output folder", paths.out_dir);
    std::string s = fmt::format(
        "#!/bin/bash\n"
        "# statetrack sweep '{0}' as one Slurm job array (docs/cluster.md).\n"
        "# Array task G runs group G of the sweep: the runs that `statetrack sweep --dry-run "
        "--json`\n"
        "# lists with \"group\": G (one run, or the depths of a minimum-depth search, in order).\n"
        "# Every task writes into the shared output folder {1}; a run with a\n"
        "# result.json is never redone and a run with a checkpoint resumes from it, so this\n"
        "# script can be submitted again as it is, or with another --array:\n"
        "#   sbatch --array=<groups> {1}/slurm/sweep.sbatch\n"
        "# `statetrack sweep CONFIG --slurm --out {1}` does that for the runs without a result.\n"
        "#SBATCH --job-name=statetrack-{0}\n"
        "#SBATCH --array={2}\n"
        "#SBATCH --output={1}/slurm/logs/%A_%a.log\n"
        "#SBATCH --cpus-per-task={3}\n",
        sweep_name, paths.out_dir, array_spec, options.cpus_per_task);
    if (!options.partition.empty()) {
        s += fmt::format("#SBATCH --partition={}\n", options.partition);
    }
    if (!options.time.empty()) {
        s += fmt::format("#SBATCH --time={}\n", options.time);
    }
    if (!options.gres.empty()) {
        s += fmt::format("#SBATCH --gres={}\n", options.gres);
    }
    for (const std::string& arg : options.sbatch_args) {
        s += fmt::format("#SBATCH {}\n", arg);
    }
    s += fmt::format(
        "set -euo pipefail\n"
        "# One run at a time in this task, on the CPUs Slurm gave it.\n"
        "exec {} sweep {} --out {} --slurm-group \"$SLURM_ARRAY_TASK_ID\" --workers 1 "
        "--threads {}",
        paths.executable, paths.sweep_config, paths.out_dir, options.cpus_per_task);
    if (!options.device.empty()) {
        s += fmt::format(" --device {}", options.device);
    }
    return s + "\n";
}

}  // namespace statetrack::harness
