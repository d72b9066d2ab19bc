// merge_sweep_shards: joins the output folders of the shards of one sweep (`statetrack sweep
// --shard k/n` on each machine) into one folder, as if the sweep had run unsharded: out/sweep.json
// and out/runs/<id>/{config.json, result.json} for every finished run (checkpoints and logs stay
// behind). The shards must come from the same sweep (identical sweep.json); a run present in
// several folders must have byte-identical results there, or the merge fails naming the run.
// Files are copied atomically, so a failed merge leaves no half-written result.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace statetrack::harness {

// Returns the number of runs in `out` after the merge.
int64_t merge_sweep_shards(const std::string& out, const std::vector<std::string>& shard_dirs);

}  // namespace statetrack::harness
