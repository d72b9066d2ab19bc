// The grid of a sweep (sweep_config.h): its points in a fixed order, each with a stable id, and
// the deterministic split of the grid into shards.
// Point ids are "<axis labels>-<hash>": a readable label per axis value (a scalar as written; an
// object by its "type", "spec" or "name" key) and 8 hex digits of the FNV-1a hash of the run
// config, so an id changes exactly when the run it names changes, and never collides for two
// different runs of one sweep. A base config without "name" gets the id as its name, so each
// run's result.json carries the point's id as run_id.
// Groups: with a minimum-depth search, the points that differ only in the depth axis form one
// group, searched in order by one worker; otherwise every point is its own group. A sweep with
// several grids lists the first grid's points, then the second's, ...; group numbers continue
// across grids, and a grid's name starts the labels of its points. Shards split
// groups: shard k of n takes the groups with index ≡ k−1 (mod n), so the shards of a grid are
// disjoint, cover it, and do not depend on what has already run.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "harness/runs/sweep_config.h"

namespace statetrack::harness {

struct SweepPoint {
    int64_t index = 0;  // position in the grid
    int64_t group = 0;  // see the header comment
    std::string id;
    nlohmann::json config;  // the run config
    int64_t depth = 0;      // the depth axis value, when there is a minimum-depth search
    std::optional<MinDepthSearch> min_depth;  // its grid's search, if any
};

std::vector<SweepPoint> expand_sweep(const SweepConfig& config);

struct Shard {
    int64_t k = 1;  // 1-based
    int64_t n = 1;
};

// "k/n" with 1 <= k <= n. Throws naming the text.
Shard parse_shard(const std::string& text);

std::vector<SweepPoint> select_shard(const std::vector<SweepPoint>& points, const Shard& shard);

}  // namespace statetrack::harness
