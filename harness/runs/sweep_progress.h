// What a sweep's output folder says about its runs: the one place that decides, from the files
// on disk alone, whether a run is finished, was skipped by a minimum-depth search, was started
// and left unfinished, or never started. The local sweep (sweep_runner.h) and the Slurm path
// (slurm_sweep.h) both resume from it, so they agree on what remains to run.
// Contract: a run is finished when <out>/runs/<id>/result.json exists; it is skipped when a
// shallower depth of its group is finished with the search's metric at or above the threshold;
// started when its run directory holds run.log or checkpoint/.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "harness/runs/sweep_grid.h"

namespace statetrack::harness {

enum class RunProgress { finished, skipped, started, not_started };

const char* progress_name(RunProgress progress);

std::string sweep_run_dir(const std::string& out_dir, const SweepPoint& point);

bool run_finished(const std::string& out_dir, const SweepPoint& point);

// True when the run is finished, complete, and its metric reaches its search's threshold.
bool reached_min_depth_threshold(const std::string& out_dir, const SweepPoint& point);

// The points of each group by group number, each group in the order its points run (increasing
// depth); `points` must outlive the result.
std::map<int64_t, std::vector<const SweepPoint*>> sweep_groups(
    const std::vector<SweepPoint>& points);

// The points of one group in the order they run (increasing depth) with their progress.
struct GroupProgress {
    std::vector<const SweepPoint*> points;
    std::vector<RunProgress> progress;
    bool done() const;  // every run finished or skipped
};

// The groups of `points` by group number; `points` must outlive the result.
std::map<int64_t, GroupProgress> sweep_progress(const std::vector<SweepPoint>& points,
                                                const std::string& out_dir);

}  // namespace statetrack::harness
