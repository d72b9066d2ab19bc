// run_in: trains one run config into a directory through the run driver, as `statetrack run`
// does (torch builds only: tests/training and the torch tests of tests/cli).
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <utility>

#include "harness/runs/run_config.h"
#include "harness/training/run_driver.h"

namespace statetrack::harness::fixtures {

// Thrown from a hook to stop a run as kill -9 would: after the last checkpoint, before a result.
struct SimulatedKill : std::runtime_error {
    SimulatedKill() : std::runtime_error("killed") {}
};

inline ExecutedRun run_in(const std::string& dir, const nlohmann::json& config,
                          TrainerHooks hooks = {}, bool resume = false) {
    RunOptions options;
    options.run_dir = dir;
    options.resume = resume;
    options.hooks = std::move(hooks);
    return execute_run(parse_run_config(config), options);
}

}  // namespace statetrack::harness::fixtures
