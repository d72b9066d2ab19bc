// SweepRunner: executes the points of a sweep (sweep_grid.h), each as its own `statetrack run`
// process, `workers` at a time, into <out>/runs/<id>/ (config.json, run.log, result.json, and
// the run's checkpoint/). The out folder also gets sweep.json (the sweep config) and, at the
// end, sweep_status.json (what ran, what was skipped, what failed), both written atomically.
// Resume is the default: a point whose result.json exists is finished and never redone; a point
// with a checkpoint continues from it (`run --resume`); any other point starts afresh. So an
// interrupted sweep is resumed by running the same command again.
// Minimum depth: a group's depths run in increasing order; after each, its result's metric is
// read; once one reaches the threshold the deeper points are skipped (recorded as such).
// A run process that exits without writing result.json counts as failed: the others go on, and
// the sweep reports the failures (their run.log) and returns their count.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "harness/runs/sweep_config.h"
#include "harness/runs/sweep_grid.h"

namespace statetrack::harness {

// How one worker runs: `threads` torch threads; `device` ("" = the run config's own) with
// `slot`, the worker's index among those running at once (0 .. workers-1), so that "cuda" on a
// machine with n GPUs puts worker i on GPU i mod n (run_device.h).
struct WorkerSettings {
    int64_t threads = 1;
    std::string device;
    int64_t slot = 0;
};

// Starts one run process and returns its pid: run `config_path` into `out_dir` as `worker` says
// (resume from its checkpoint when `resume`), stdout and stderr to `log_path`.
using RunLauncher =
    std::function<pid_t(const std::string& config_path, const std::string& out_dir,
                        const WorkerSettings& worker, bool resume, const std::string& log_path)>;

// The launcher for real sweeps: this executable (/proc/self/exe) with `run CONFIG --out DIR
// --threads N [--device D --device-slot I] [--resume]`.
RunLauncher self_run_launcher();

struct SweepOutcome {
    int64_t finished_before = 0;  // result.json already present
    int64_t completed = 0;        // ran now and wrote result.json
    int64_t skipped = 0;          // minimum-depth search: a shallower depth reached the threshold
    int64_t failed = 0;           // exited without result.json
};

class SweepRunner {
  public:
    SweepRunner(SweepConfig config, std::string out_dir, RunLauncher launcher);

    // Runs `points` (all of the grid, or one shard of it). Progress lines go to stderr.
    SweepOutcome run(const std::vector<SweepPoint>& points);

    // Do not write sweep_status.json: a Slurm array task runs one group, and the status of the
    // whole sweep is `sweep --slurm --status` (slurm_sweep.h).
    void without_status_file() { write_status_file_ = false; }

  private:
    struct Chain;  // one group's points, depth-ordered

    void prepare_out_dir() const;
    std::string run_dir(const SweepPoint& point) const;
    bool finished(const SweepPoint& point) const;
    pid_t start(const SweepPoint& point, const WorkerSettings& worker);
    void write_status(const std::vector<SweepPoint>& points, const SweepOutcome& outcome,
                      const std::vector<std::string>& skipped,
                      const std::vector<std::string>& failed) const;

    SweepConfig config_;
    std::string out_dir_;
    RunLauncher launcher_;
    bool write_status_file_ = true;
};

}  // namespace statetrack::harness
