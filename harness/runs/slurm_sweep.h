// SlurmSweep: a sweep run on a Slurm cluster as job arrays (docs/cluster.md). Every array task
// runs one group of the sweep (slurm_script.h) into the one shared output folder, so the
// results land where the local sweep puts them and `statetrack report` reads them unchanged.
// Files under <out>/slurm/: sweep_config.json (the copy of the sweep config the tasks read),
// sweep.sbatch (the last script submitted), jobs.json (every submission: job id, groups, array
// spec, time), logs/<job>_<task>.log, locks/ (one lock per group, held by the task running it).
// Contract:
// - submit() submits one array of the groups that have a run without a result and no task in
//   the queue, or returns nullopt when there is none; submissions of one folder are serialised
//   by a lock, and the queue is read before the results, so two submissions never queue the
//   same group twice. Nothing is recorded when sbatch refuses (its message is thrown).
// - status() joins the results on disk with the queue: every run is finished, skipped,
//   running, pending, failed (with its log and error line) or not_submitted.
// - wait() follows this folder's tasks through squeue until Slurm holds none of them (those
//   just submitted, or those of an earlier or concurrent submission) and returns how many of
//   their runs failed.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/runs/slurm_client.h"
#include "harness/runs/slurm_script.h"
#include "harness/runs/sweep_config.h"
#include "harness/runs/sweep_grid.h"

namespace statetrack::harness {

struct SlurmSubmission {
    int64_t job = 0;
    std::vector<int64_t> groups;
    std::string array;  // the --array value submitted
};

enum class SlurmRunState { finished, skipped, running, pending, failed, not_submitted };

const char* slurm_run_state_name(SlurmRunState state);

struct SlurmRunStatus {
    std::string id;
    int64_t group = 0;
    SlurmRunState state = SlurmRunState::not_submitted;
    std::string log;    // failed: run.log, or the task's Slurm log when the run never started
    std::string error;  // failed: the last error line found there
};

class SlurmSweep {
  public:
    // `config_text` is the sweep config file as given; `points` the sweep's points (or a shard).
    SlurmSweep(std::string config_text, SweepConfig config, std::vector<SweepPoint> points,
               std::string out_dir, SlurmClient client);

    std::optional<SlurmSubmission> submit(const std::string& executable,
                                          const SlurmOptions& options) const;
    std::vector<SlurmRunStatus> status() const;
    int64_t wait(std::chrono::milliseconds poll) const;

    std::string slurm_dir() const;

  private:
    struct Queued;  // groups with a task in the queue, by state
    Queued queued_groups() const;
    std::vector<SlurmRunStatus> status(const Queued& queued) const;

    std::string config_text_;
    SweepConfig config_;
    std::vector<SweepPoint> points_;
    std::string out_dir_;  // absolute
    SlurmClient client_;
};

}  // namespace statetrack::harness
