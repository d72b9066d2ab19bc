// Sweep grid expansion, ids and shards (see sweep_grid.h).
#include "harness/runs/sweep_grid.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace statetrack::harness {
namespace {

uint64_t fnv1a64(const std::string& text) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const unsigned char c : text) {
        h = (h ^ c) * 0x100000001b3ULL;
    }
    return h;
}

std::string value_label(const nlohmann::json& value) {
    if (value.is_string()) {
        return value.get<std::string>();
    }
    if (value.is_object()) {
        for (const char* key : {"name", "spec", "type"}) {
            if (value.contains(key) && value[key].is_string()) {
                return value[key].get<std::string>();
            }
        }
        return "obj";
    }
    return value.dump();
}

// Keeps letters, digits, '.', '_' and '-'; everything else becomes '_'.
std::string sanitize(const std::string& text) {
    std::string out;
    for (const char c : text) {
        const bool keep =
            std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
        out += keep ? c : '_';
    }
    return out.substr(0, 96);
}

// Appends the points of one grid; their groups start at `first_group`. Returns the next free
// group number.
int64_t expand_grid(const nlohmann::json& base, const SweepGrid& grid, int64_t first_group,
                    std::vector<SweepPoint>& points) {
    int64_t total = 1;
    for (const SweepAxis& axis : grid.axes) {
        total *= static_cast<int64_t>(axis.values.size());
    }
    nlohmann::json grid_base = base;
    for (const auto& [path, value] : grid.set) {
        set_json_path(grid_base, path, value);
    }
    const std::string depth_path = grid.min_depth ? grid.min_depth->path : "";
    int64_t next_group = first_group;
    for (int64_t index = 0; index < total; ++index) {
        SweepPoint p;
        p.index = static_cast<int64_t>(points.size());
        p.config = grid_base;
        p.min_depth = grid.min_depth;
        std::string label = grid.name;
        int64_t group = 0;
        int64_t rest = index;
        int64_t stride = total;
        for (const SweepAxis& axis : grid.axes) {
            const auto size = static_cast<int64_t>(axis.values.size());
            stride /= size;
            const nlohmann::json& value = axis.values[static_cast<size_t>(rest / stride)];
            rest %= stride;
            set_json_path(p.config, axis.path, value);
            label += (label.empty() ? "" : "-") + value_label(value);
            if (axis.path == depth_path) {
                p.depth = value.get<int64_t>();
            } else {
                group = group * size + static_cast<int64_t>(&value - axis.values.data());
            }
        }
        p.group = first_group + (depth_path.empty() ? index : group);
        next_group = std::max(next_group, p.group + 1);
        p.id = fmt::format("{}-{:08x}", sanitize(label), fnv1a64(p.config.dump()) & 0xffffffffULL);
        if (!p.config.contains("name")) {
            p.config["name"] = p.id;  // result.json's run_id is then the point's id
        }
        points.push_back(std::move(p));
    }
    return next_group;
}

}  // namespace

std::vector<SweepPoint> expand_sweep(const SweepConfig& config) {
    std::vector<SweepPoint> points;
    int64_t next_group = 0;
    for (const SweepGrid& grid : config.grids) {
        next_group = expand_grid(config.base, grid, next_group, points);
    }
    return points;
}

Shard parse_shard(const std::string& text) {
    Shard s;
    char slash = 0;
    char extra = 0;
    if (std::sscanf(text.c_str(), "%ld%c%ld%c", &s.k, &slash, &s.n, &extra) != 3 || slash != '/' ||
        s.n < 1 || s.k < 1 || s.k > s.n) {
        throw std::invalid_argument(
            fmt::format("--shard \"{}\" must be k/n with 1 <= k <= n (e.g. 3/16)", text));
    }
    return s;
}

std::vector<SweepPoint> select_shard(const std::vector<SweepPoint>& points, const Shard& shard) {
    std::vector<SweepPoint> selected;
    for (const SweepPoint& p : points) {
        if (p.group % shard.n == shard.k - 1) {
            selected.push_back(p);
        }
    }
    return selected;
}

}  // namespace statetrack::harness
