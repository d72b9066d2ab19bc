// SweepConfig parsing (see sweep_config.h).
#include "harness/runs/sweep_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/json_config.h"
#include "core/strict_json.h"

namespace statetrack::harness {
namespace {

using core::JsonConfigReader;

std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> parts;
    std::stringstream in(path);
    std::string part;
    while (std::getline(in, part, '.')) {
        parts.push_back(part);
    }
    if (parts.empty() ||
        std::any_of(parts.begin(), parts.end(), [](const std::string& p) { return p.empty(); })) {
        throw std::invalid_argument(fmt::format("sweep: bad key path \"{}\"", path));
    }
    return parts;
}

SweepAxis parse_axis(const nlohmann::json& json, const std::string& where) {
    const core::JsonConfigReader in(json, where, {"path", "values"});
    SweepAxis axis;
    axis.path = in.string("path", "");
    split_path(axis.path);
    const nlohmann::json& values = in.required("values");
    if (!values.is_array() || values.empty()) {
        in.fail("values", "must be a non-empty array");
    }
    axis.values.assign(values.begin(), values.end());
    return axis;
}

MinDepthSearch parse_min_depth(const nlohmann::json& json, const std::vector<SweepAxis>& axes,
                               const std::string& where) {
    const core::JsonConfigReader in(json, where + ": min_depth", {"path", "threshold", "metric"});
    MinDepthSearch search;
    search.path = in.string("path", search.path);
    search.threshold = in.number("threshold", search.threshold);
    search.metric = in.string("metric", search.metric);
    const auto axis = std::find_if(axes.begin(), axes.end(),
                                   [&](const SweepAxis& a) { return a.path == search.path; });
    if (axis == axes.end()) {
        in.fail("path", fmt::format("= \"{}\" is not one of the axes", search.path));
    }
    for (const nlohmann::json& value : axis->values) {
        if (!value.is_number_integer()) {
            in.fail("path",
                    fmt::format("axis values must be integers (depths), got {}", value.dump()));
        }
    }
    return search;
}

// `json` is a grids[] entry, or the whole sweep config (top_level: its axes and min_depth).
SweepGrid parse_grid(const nlohmann::json& json, const nlohmann::json& base,
                     const std::string& where, bool top_level) {
    static const std::vector<std::string> kGridKeys = {"name", "set", "axes", "min_depth"};
    const core::JsonConfigReader in =
        top_level ? core::JsonConfigReader(
                        json, where, {"name", "base", "axes", "workers", "threads", "min_depth"})
                  : core::JsonConfigReader(json, where, kGridKeys);
    SweepGrid grid;
    nlohmann::json probe = base;
    if (!top_level) {
        grid.name = in.string("name", "");
        const nlohmann::json set = in.has("set") ? in.required("set") : nlohmann::json::object();
        if (!set.is_object()) {
            in.fail("set", "must be an object of {\"dotted.path\": value}");
        }
        for (const auto& [path, value] : set.items()) {
            set_json_path(probe, path, value);
            grid.set.emplace_back(path, value);
        }
    }
    const nlohmann::json& axes = in.required("axes");
    if (!axes.is_array() || axes.empty()) {
        in.fail("axes", "must be a non-empty array of {\"path\", \"values\"}");
    }
    for (size_t i = 0; i < axes.size(); ++i) {
        grid.axes.push_back(parse_axis(axes[i], fmt::format("{}: axes[{}]", where, i)));
        nlohmann::json axis_probe = probe;
        set_json_path(axis_probe, grid.axes.back().path, grid.axes.back().values.front());
    }
    if (in.has("min_depth") && !in.required("min_depth").is_null()) {
        grid.min_depth = parse_min_depth(in.required("min_depth"), grid.axes, where);
    }
    return grid;
}

}  // namespace

const nlohmann::json* json_at_path(const nlohmann::json& json, const std::string& path) {
    const nlohmann::json* node = &json;
    for (const std::string& part : split_path(path)) {
        if (!node->is_object() || !node->contains(part)) {
            return nullptr;
        }
        node = &(*node)[part];
    }
    return node;
}

void set_json_path(nlohmann::json& json, const std::string& path, const nlohmann::json& value) {
    const std::vector<std::string> parts = split_path(path);
    nlohmann::json* node = &json;
    for (size_t i = 0; i + 1 < parts.size(); ++i) {
        if (!node->is_object() || !node->contains(parts[i]) || !(*node)[parts[i]].is_object()) {
            throw std::invalid_argument(
                fmt::format("sweep: axis path \"{}\": the base config has no object at \"{}\"",
                            path, parts[i]));
        }
        node = &(*node)[parts[i]];
    }
    (*node)[parts.back()] = value;
}

SweepConfig sweep_config_from_json(const nlohmann::json& json) {
    const core::JsonConfigReader in(
        json, "sweep config", {"name", "base", "axes", "grids", "workers", "threads", "min_depth"});
    SweepConfig c;
    c.name = in.string("name", "");
    if (c.name.empty() || c.name.find('/') != std::string::npos) {
        in.fail("name", "is required: a non-empty name without '/'");
    }
    c.base = in.required("base");
    if (!c.base.is_object()) {
        in.fail("base", "must be a run config object");
    }
    if (in.has("grids")) {
        if (in.has("axes") || in.has("min_depth")) {
            in.fail("grids", "replaces the top-level axes and min_depth: give one or the other");
        }
        const nlohmann::json& grids = in.required("grids");
        if (!grids.is_array() || grids.empty()) {
            in.fail("grids",
                    "must be a non-empty array of {\"name\", \"set\", \"axes\", \"min_depth\"}");
        }
        for (size_t i = 0; i < grids.size(); ++i) {
            c.grids.push_back(
                parse_grid(grids[i], c.base, fmt::format("sweep config: grids[{}]", i), false));
        }
    } else {
        c.grids.push_back(parse_grid(json, c.base, "sweep config", /*top_level=*/true));
    }
    c.workers = in.integer("workers", c.workers);
    if (c.workers < 1) {
        in.fail("workers", fmt::format("= {} must be >= 1", c.workers));
    }
    c.threads = in.integer("threads", c.threads);
    if (c.threads < 0) {
        in.fail("threads", fmt::format("= {} must be >= 0", c.threads));
    }
    return c;
}

SweepConfig load_sweep_config(const std::string& path) {
    const nlohmann::json json = core::read_json_file(path);
    try {
        return sweep_config_from_json(json);
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(fmt::format("{}: {}", path, e.what()));
    }
}

}  // namespace statetrack::harness
