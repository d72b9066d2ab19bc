// Minimum depth (Merrill et al. 2024): for each (task, model, d_model) and evaluated length, the
// smallest n_layers whose aggregated sequence accuracy at that length reaches `threshold`.
// Computed twice: on the max over seeds x lrs, and on the mean over the selected lr's seeds
// (aggregate.h). nullopt means "none up to depths_tried.back()" among the depths evaluated at
// that length. d_model is part of the key because depth is only comparable at a fixed width.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "results/aggregate.h"

namespace statetrack::results {

struct MinDepthAtLength {
    int64_t length = 0;
    bool in_distribution = false;
    std::vector<int64_t> depths_tried;  // ascending: groups with data at this length
    std::optional<int64_t> by_max;
    std::optional<int64_t> by_mean;  // depths without a mean (no seed at the selected lr) skipped
};

struct MinDepthRow {
    std::string task;
    std::string model;
    int64_t d_model = 0;
    std::vector<MinDepthAtLength> lengths;  // ascending
};

inline constexpr double kDefaultMinDepthThreshold = 0.95;

// Rows in (task, model, d_model) order; `groups` as aggregate_groups returns them.
std::vector<MinDepthRow> compute_min_depth(const std::vector<GroupAggregate>& groups,
                                           double threshold);

}  // namespace statetrack::results
