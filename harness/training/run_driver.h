// execute_run: one run from a parsed config to its result.json (results/README.md).
// Order: refuse a finished run (result.json exists) unless force, refuse to overwrite an
// unfinished run's checkpoint unless resume or force; build the task, the model (seeded),
// the training data and the test sets' evaluator -- any config problem is thrown before
// anything is written; set the thread count; resume from <run_dir>/checkpoint when asked and
// one exists (else start at step 0); train; evaluate; write <run_dir>/model.pt (+ model.json,
// the model config) for a complete run, then result.json (atomically), then remove the
// checkpoint directory. A failed run (persistent non-finite loss) still gets a result.json,
// with status "failed" and its error, and no model.pt.
// Run directory: RunOptions::run_dir, default runs/<config name>.
#pragma once

#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "harness/runs/run_config.h"
#include "harness/training/trainer.h"

namespace statetrack::harness {

struct RunOptions {
    std::string run_dir;  // empty = runs/<name>
    bool resume = false;
    bool force = false;
    int64_t threads = -1;     // >= 0 overrides the config's threads (0 = all cores)
    std::string device;       // non-empty overrides the config's device (run_device.h)
    int64_t device_slot = 0;  // sweep worker slot: "cuda" means GPU slot mod count
    std::string progress_label = "run 1/1";
    std::FILE* progress_out = nullptr;  // nullptr = no progress output
    bool progress_live = false;         // a redrawn bar (terminals) instead of plain lines
    TrainerHooks hooks;                 // tests only; the progress hook is the driver's when unset
};

struct ExecutedRun {
    nlohmann::json result;
    std::string run_dir;
    std::string result_path;
    bool resumed = false;  // continued from a checkpoint
};

std::string default_run_dir(const RunConfig& config);

// Throws std::invalid_argument for a bad config or a refused run directory (nothing written),
// std::runtime_error for I/O or checkpoint problems. A failed training run is not an exception:
// its result has status "failed".
ExecutedRun execute_run(const RunConfig& config, const RunOptions& options);

}  // namespace statetrack::harness
