// SweepConfig: a grid of runs in one JSON file. A sweep is a base run config (the same keys as
// `statetrack run`, docs/run-config.md) and axes; each axis sets one key of the base, named by
// a dotted path into it, to each of its values in turn, and the grid is the cartesian product
// (the first axis varies slowest). Keys and defaults (strict: unknown keys are errors):
//   name        (required) the sweep's name; the default output folder is sweeps/<name>
//   base        (required) a run config object; every run starts as a copy of it
//   axes        [{"path": "model.n_layers", "values": [1, 2, 3]}, ...], at least one;
//               a path's parent objects must exist in the base (typos are errors, not new keys),
//               except that the last component may be new
//   grids       instead of axes: several grids in one sweep, each
//               {"name": "parity", "set": {"task": {...}, "budget.max_steps": 400},
//                "axes": [...], "min_depth": {...}}: "set" (dotted paths, default {}) is applied
//               to the base before the grid's own axes; "name" (optional) starts its point ids.
//               The sweep is the union of the grids, in order. So each task can have its own
//               budget, models and seeds.
//   workers     1     runs executed at once, each in its own process
//   threads     0     torch threads per run; 0 = max(1, cores / workers)
//   min_depth   null  optional {"path": "model.n_layers", "threshold": 0.95,
//               "metric": "summary.in_distribution.sequence_accuracy"}: Merrill et al.'s minimum
//               depth. The named path must be an axis; for every combination of the other axes
//               the depths run in increasing order and stop at the first whose result reaches
//               the threshold on the metric (a dotted path into result.json), so deeper models
//               are trained only where shallower ones failed. With grids: per grid.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace statetrack::harness {

struct SweepAxis {
    std::string path;
    std::vector<nlohmann::json> values;
};

struct MinDepthSearch {
    std::string path = "model.n_layers";  // one of the axes
    double threshold = 0.95;
    std::string metric = "summary.in_distribution.sequence_accuracy";
};

// One grid of a sweep: `set` applied to the base, then the cartesian product of `axes`.
struct SweepGrid {
    std::string name;  // "" for a sweep given by top-level axes
    std::vector<std::pair<std::string, nlohmann::json>> set;
    std::vector<SweepAxis> axes;
    std::optional<MinDepthSearch> min_depth;
};

struct SweepConfig {
    std::string name;
    nlohmann::json base;
    std::vector<SweepGrid> grids;  // at least one
    int64_t workers = 1;
    int64_t threads = 0;
    std::string device;  // --device of `sweep` ("" = each run config's own)
};

SweepConfig sweep_config_from_json(const nlohmann::json& json);
SweepConfig load_sweep_config(const std::string& path);

// The value at a dotted path ("summary.in_distribution.sequence_accuracy"), or nullptr.
const nlohmann::json* json_at_path(const nlohmann::json& json, const std::string& path);

// Sets the value at a dotted path; parent objects must exist. Throws naming the path.
void set_json_path(nlohmann::json& json, const std::string& path, const nlohmann::json& value);

}  // namespace statetrack::harness
