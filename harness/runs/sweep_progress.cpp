// Sweep progress on disk (see sweep_progress.h).
#include "harness/runs/sweep_progress.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <utility>

#include "core/enum_names.h"
#include "results/result_schema.h"

namespace statetrack::harness {
namespace fs = std::filesystem;

namespace {

constexpr auto kProgressNames =
    core::enum_names(RunProgress::finished, "finished", RunProgress::skipped, "skipped",
                     RunProgress::started, "started", RunProgress::not_started, "not_started")
        .otherwise("?");

}  // namespace

// The spellings are string literals, so data() is NUL-terminated.
const char* progress_name(RunProgress progress) { return kProgressNames.name(progress).data(); }

std::string sweep_run_dir(const std::string& out_dir, const SweepPoint& point) {
    return (fs::path(out_dir) / "runs" / point.id).string();
}

bool run_finished(const std::string& out_dir, const SweepPoint& point) {
    return fs::exists(fs::path(sweep_run_dir(out_dir, point)) / "result.json");
}

bool reached_min_depth_threshold(const std::string& out_dir, const SweepPoint& point) {
    if (!point.min_depth) {
        return false;
    }
    std::ifstream in(fs::path(sweep_run_dir(out_dir, point)) / "result.json");
    nlohmann::json result = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (result.is_discarded() ||
        result.value("status", "") != results::to_string(results::RunStatus::kComplete)) {
        return false;
    }
    const nlohmann::json* value = json_at_path(result, point.min_depth->metric);
    return value != nullptr && value->is_number() &&
           value->get<double>() >= point.min_depth->threshold;
}

bool GroupProgress::done() const {
    return std::all_of(progress.begin(), progress.end(), [](RunProgress p) {
        return p == RunProgress::finished || p == RunProgress::skipped;
    });
}

std::map<int64_t, std::vector<const SweepPoint*>> sweep_groups(
    const std::vector<SweepPoint>& points) {
    std::map<int64_t, std::vector<const SweepPoint*>> groups;
    for (const SweepPoint& p : points) {
        groups[p.group].push_back(&p);
    }
    for (auto& [number, group] : groups) {
        std::stable_sort(group.begin(), group.end(), [](const SweepPoint* a, const SweepPoint* b) {
            return a->depth < b->depth;
        });
    }
    return groups;
}

std::map<int64_t, GroupProgress> sweep_progress(const std::vector<SweepPoint>& points,
                                                const std::string& out_dir) {
    std::map<int64_t, GroupProgress> groups;
    for (auto& [number, members] : sweep_groups(points)) {
        GroupProgress& group = groups[number];
        group.points = std::move(members);
        bool skipping = false;
        for (const SweepPoint* p : group.points) {
            const fs::path dir = sweep_run_dir(out_dir, *p);
            RunProgress progress = RunProgress::not_started;
            if (skipping) {
                progress = RunProgress::skipped;
            } else if (run_finished(out_dir, *p)) {
                progress = RunProgress::finished;
                skipping = reached_min_depth_threshold(out_dir, *p);
            } else if (fs::exists(dir / "run.log") || fs::exists(dir / "checkpoint")) {
                progress = RunProgress::started;
            }
            group.progress.push_back(progress);
        }
    }
    return groups;
}

}  // namespace statetrack::harness
