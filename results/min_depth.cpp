// Minimum depth reaching a sequence-accuracy threshold (see min_depth.h).
#include "results/min_depth.h"

#include <fmt/format.h>

#include <map>
#include <stdexcept>
#include <tuple>

namespace statetrack::results {
namespace {

using RowKey = std::tuple<std::string, std::string, int64_t>;

// depth -> the group's aggregate at one length.
using DepthColumn = std::map<int64_t, const LengthAggregate*>;

MinDepthAtLength min_depth_at(int64_t length, const DepthColumn& by_depth, double threshold) {
    MinDepthAtLength out;
    out.length = length;
    for (const auto& [depth, point] : by_depth) {  // ascending depth
        out.in_distribution = point->in_distribution;
        out.depths_tried.push_back(depth);
        const AggregatedValue& v = point->accuracy.sequence;
        if (!out.by_max && v.max >= threshold) {
            out.by_max = depth;
        }
        if (!out.by_mean && v.n_seeds > 0 && v.mean >= threshold) {
            out.by_mean = depth;
        }
    }
    return out;
}

}  // namespace

std::vector<MinDepthRow> compute_min_depth(const std::vector<GroupAggregate>& groups,
                                           double threshold) {
    if (!(threshold > 0.0 && threshold <= 1.0)) {
        throw std::invalid_argument(
            fmt::format("minimum-depth threshold {} is not in (0, 1]", threshold));
    }
    std::map<RowKey, std::map<int64_t, DepthColumn>> table;  // row -> length -> depth -> point
    for (const GroupAggregate& g : groups) {
        auto& row = table[{g.key.task, g.key.model, g.key.d_model}];
        for (const LengthAggregate& point : g.lengths) {
            row[point.length][g.key.n_layers] = &point;
        }
    }
    std::vector<MinDepthRow> rows;
    for (const auto& [key, by_length] : table) {
        MinDepthRow row{std::get<0>(key), std::get<1>(key), std::get<2>(key), {}};
        for (const auto& [length, by_depth] : by_length) {
            row.lengths.push_back(min_depth_at(length, by_depth, threshold));
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

}  // namespace statetrack::results
