// SweepConfig parsing (see sweep_config.h).
#if STATETRACK_WITH_TORCH  // uses model/json_config.h and model/atomic_file.h
#include "harness/sweep_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "model/json_config.h"

namespace statetrack::harness {
namespace {

using model::JsonConfigReader;

std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> parts;
    std::stringstream in(path);
    std::string part;
    while (std::getline(in, part, '.')) {
        parts.push_back(part);
    }
    if (parts.empty() || std::any_of(parts.begin(), parts.end(),
                                     [](const std::string& p) { return p.empty(); })) {
        throw std::invalid_argument(fmt::format("sweep: bad key path \"{}\"", path));
    }
    return parts;
}

SweepAxis parse_axis(const nlohmann::json& json, size_t index) {
    const JsonConfigReader in(json, fmt::format("sweep config: axes[{}]", index),
                              {"path", "values"});
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

MinDepthSearch parse_min_depth(const nlohmann::json& json, const std::vector<SweepAxis>& axes) {
    const JsonConfigReader in(json, "sweep config: min_depth", {"path", "threshold", "metric"});
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
            in.fail("path", fmt::format("axis values must be integers (depths), got {}", value.dump()));
        }
    }
    return search;
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
            throw std::invalid_argument(fmt::format(
                "sweep: axis path \"{}\": the base config has no object at \"{}\"", path, parts[i]));
        }
        node = &(*node)[parts[i]];
    }
    (*node)[parts.back()] = value;
}

SweepConfig sweep_config_from_json(const nlohmann::json& json) {
    const JsonConfigReader in(json, "sweep config",
                              {"name", "base", "axes", "workers", "threads", "min_depth"});
    SweepConfig c;
    c.name = in.string("name", "");
    if (c.name.empty() || c.name.find('/') != std::string::npos) {
        in.fail("name", "is required: a non-empty name without '/'");
    }
    c.base = in.required("base");
    if (!c.base.is_object()) {
        in.fail("base", "must be a run config object");
    }
    const nlohmann::json& axes = in.required("axes");
    if (!axes.is_array() || axes.empty()) {
        in.fail("axes", "must be a non-empty array of {\"path\", \"values\"}");
    }
    for (size_t i = 0; i < axes.size(); ++i) {
        c.axes.push_back(parse_axis(axes[i], i));
        nlohmann::json probe = c.base;
        set_json_path(probe, c.axes.back().path, c.axes.back().values.front());
    }
    c.workers = in.integer("workers", c.workers);
    if (c.workers < 1) {
        in.fail("workers", fmt::format("= {} must be >= 1", c.workers));
    }
    c.threads = in.integer("threads", c.threads);
    if (c.threads < 0) {
        in.fail("threads", fmt::format("= {} must be >= 0", c.threads));
    }
    if (in.has("min_depth") && !in.required("min_depth").is_null()) {
        c.min_depth = parse_min_depth(in.required("min_depth"), c.axes);
    }
    return c;
}

SweepConfig load_sweep_config(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        throw std::runtime_error(fmt::format("cannot open sweep config '{}'", path));
    }
    std::stringstream buffer;
    buffer << file.rdbuf();
    try {
        return sweep_config_from_json(nlohmann::json::parse(buffer.str()));
    } catch (const nlohmann::json::parse_error& e) {
        throw std::invalid_argument(fmt::format("sweep config '{}': bad JSON: {}", path, e.what()));
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(fmt::format("{}: {}", path, e.what()));
    }
}

}  // namespace statetrack::harness

#endif  // STATETRACK_WITH_TORCH
