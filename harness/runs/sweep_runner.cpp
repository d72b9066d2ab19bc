// SweepRunner (see sweep_runner.h).
#include "harness/runs/sweep_runner.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <thread>
#include <utility>

#include "core/atomic_file.h"
#include "harness/runs/sweep_progress.h"

extern char** environ;

namespace statetrack::harness {
namespace fs = std::filesystem;

struct SweepRunner::Chain {
    std::vector<const SweepPoint*> points;  // depth-ordered
    size_t next = 0;
    bool running = false;
    bool done() const { return next >= points.size(); }
};

RunLauncher self_run_launcher() {
    return [](const std::string& config_path, const std::string& out_dir,
              const WorkerSettings& worker, bool resume, const std::string& log_path) -> pid_t {
        std::vector<std::string> args = {"statetrack",
                                         "run",
                                         config_path,
                                         "--out",
                                         out_dir,
                                         "--threads",
                                         std::to_string(worker.threads),
                                         "--exit-with-parent",
                                         std::to_string(::getpid())};
        if (!worker.device.empty()) {
            args.insert(args.end(),
                        {"--device", worker.device, "--device-slot", std::to_string(worker.slot)});
        }
        if (resume) {
            args.push_back("--resume");
        }
        std::vector<char*> argv;
        for (std::string& a : args) {
            argv.push_back(a.data());
        }
        argv.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, log_path.c_str(),
                                         O_WRONLY | O_CREAT | O_APPEND, 0644);
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
        pid_t pid = 0;
        const int rc = posix_spawn(&pid, "/proc/self/exe", &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        if (rc != 0) {
            throw std::runtime_error(
                fmt::format("sweep: cannot start a run: {}", std::strerror(rc)));
        }
        return pid;
    };
}

SweepRunner::SweepRunner(SweepConfig config, std::string out_dir, RunLauncher launcher)
    : config_(std::move(config)), out_dir_(std::move(out_dir)), launcher_(std::move(launcher)) {}

std::string SweepRunner::run_dir(const SweepPoint& point) const {
    return sweep_run_dir(out_dir_, point);
}

bool SweepRunner::finished(const SweepPoint& point) const { return run_finished(out_dir_, point); }

void SweepRunner::prepare_out_dir() const {
    fs::create_directories(fs::path(out_dir_) / "runs");
    const fs::path sweep_json = fs::path(out_dir_) / "sweep.json";
    const nlohmann::json given = {{"name", config_.name}, {"base", config_.base}};
    if (fs::exists(sweep_json)) {
        std::ifstream in(sweep_json);
        const nlohmann::json existing = nlohmann::json::parse(in, nullptr, false);
        if (existing.is_discarded() || existing.value("name", "") != config_.name) {
            throw std::invalid_argument(
                fmt::format("sweep: {} belongs to another sweep; choose another --out", out_dir_));
        }
    }
    nlohmann::json record = given;
    nlohmann::json grids = nlohmann::json::array();
    for (const SweepGrid& grid : config_.grids) {
        nlohmann::json axes = nlohmann::json::array();
        for (const SweepAxis& axis : grid.axes) {
            axes.push_back({{"path", axis.path}, {"values", axis.values}});
        }
        nlohmann::json set = nlohmann::json::object();
        for (const auto& [path, value] : grid.set) {
            set[path] = value;
        }
        grids.push_back({{"name", grid.name}, {"set", set}, {"axes", axes}});
    }
    record["grids"] = grids;
    core::write_text_atomically(sweep_json.string(), record.dump(2) + "\n");
}

pid_t SweepRunner::start(const SweepPoint& point, const WorkerSettings& worker) {
    const fs::path dir = run_dir(point);
    fs::create_directories(dir);
    core::write_text_atomically((dir / "config.json").string(), point.config.dump(2) + "\n");
    const bool resume = fs::exists(dir / "checkpoint");
    std::fprintf(stderr, "sweep: start %s%s\n", point.id.c_str(), resume ? " (resuming)" : "");
    return launcher_((dir / "config.json").string(), dir.string(), worker, resume,
                     (dir / "run.log").string());
}

SweepOutcome SweepRunner::run(const std::vector<SweepPoint>& points) {
    prepare_out_dir();
    std::map<int64_t, Chain> by_group;
    for (auto& [group, members] : sweep_groups(points)) {
        by_group[group].points = std::move(members);
    }
    const int64_t threads =
        config_.threads > 0
            ? config_.threads
            : std::max<int64_t>(
                  1, static_cast<int64_t>(std::thread::hardware_concurrency()) / config_.workers);
    SweepOutcome outcome;
    std::vector<std::string> skipped, failed;
    // After a point of `chain` is finished: stop the chain if its depth reached the threshold.
    const auto settle = [&](Chain& chain) {
        const SweepPoint& p = *chain.points[chain.next++];
        if (reached_min_depth_threshold(out_dir_, p)) {
            for (; chain.next < chain.points.size(); ++chain.next) {
                skipped.push_back(chain.points[chain.next]->id);
                ++outcome.skipped;
            }
        }
    };
    std::map<pid_t, Chain*> running;
    std::map<pid_t, int64_t> slot_of;  // the worker slot each running pid holds
    std::vector<bool> slot_busy(static_cast<size_t>(config_.workers), false);
    const auto total = static_cast<int64_t>(points.size());
    for (;;) {
        for (auto& [group, chain] : by_group) {
            if (static_cast<int64_t>(running.size()) >= config_.workers) {
                break;
            }
            while (!chain.running && !chain.done() && finished(*chain.points[chain.next])) {
                ++outcome.finished_before;
                settle(chain);
            }
            if (!chain.running && !chain.done()) {
                const auto free_slot = std::find(slot_busy.begin(), slot_busy.end(), false);
                const WorkerSettings worker{threads, config_.device, free_slot - slot_busy.begin()};
                *free_slot = true;
                const pid_t pid = start(*chain.points[chain.next], worker);
                running[pid] = &chain;
                slot_of[pid] = worker.slot;
                chain.running = true;
            }
        }
        if (running.empty()) {
            break;
        }
        int status = 0;
        const pid_t pid = ::waitpid(-1, &status, 0);
        if (pid < 0) {
            throw std::runtime_error(fmt::format("sweep: waitpid: {}", std::strerror(errno)));
        }
        const auto it = running.find(pid);
        if (it == running.end()) {
            continue;
        }
        Chain& chain = *it->second;
        running.erase(it);
        slot_busy[static_cast<size_t>(slot_of[pid])] = false;
        chain.running = false;
        const SweepPoint& p = *chain.points[chain.next];
        if (finished(p)) {
            ++outcome.completed;
        } else {
            ++outcome.failed;
            failed.push_back(p.id);
            std::fprintf(stderr, "sweep: run %s failed (exit %d); see %s/run.log\n", p.id.c_str(),
                         WIFEXITED(status) ? WEXITSTATUS(status) : -1, run_dir(p).c_str());
        }
        settle(chain);
        std::fprintf(stderr, "sweep: %ld/%ld done (%ld skipped, %ld failed)\n",
                     outcome.finished_before + outcome.completed + outcome.failed, total,
                     outcome.skipped, outcome.failed);
    }
    if (write_status_file_) {
        write_status(points, outcome, skipped, failed);
    }
    return outcome;
}

void SweepRunner::write_status(const std::vector<SweepPoint>& points, const SweepOutcome& outcome,
                               const std::vector<std::string>& skipped,
                               const std::vector<std::string>& failed) const {
    nlohmann::json ids = nlohmann::json::array();
    for (const SweepPoint& p : points) {
        ids.push_back(p.id);
    }
    const nlohmann::json status = {{"points", ids},
                                   {"finished_before", outcome.finished_before},
                                   {"completed", outcome.completed},
                                   {"skipped_by_min_depth", skipped},
                                   {"failed", failed}};
    core::write_text_atomically((fs::path(out_dir_) / "sweep_status.json").string(),
                                status.dump(2) + "\n");
}

}  // namespace statetrack::harness
