// SlurmSweep (see slurm_sweep.h).
#include "harness/runs/slurm_sweep.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>
#include <thread>
#include <utility>

#include "core/atomic_file.h"
#include "core/enum_names.h"
#include "core/strict_json.h"
#include "harness/runs/run_lock.h"
#include "harness/runs/sweep_progress.h"

namespace statetrack::harness {
namespace fs = std::filesystem;
namespace {

constexpr auto kStateNames =
    core::enum_names(SlurmRunState::finished, "finished", SlurmRunState::skipped, "skipped",
                     SlurmRunState::running, "running", SlurmRunState::pending, "pending",
                     SlurmRunState::failed, "failed", SlurmRunState::not_submitted, "not_submitted")
        .otherwise("?");

// jobs.json, checked: every submission has an integer "job" and a list of integer "groups".
nlohmann::json read_jobs(const fs::path& path) {
    if (!fs::exists(path)) {
        return {{"submissions", nlohmann::json::array()}};
    }
    nlohmann::json jobs = core::read_json_file(path.string());
    const auto integers = [](const nlohmann::json& list) {
        return list.is_array() && std::all_of(list.begin(), list.end(),
                                              [](const auto& g) { return g.is_number_integer(); });
    };
    bool ok = jobs.is_object() && jobs.contains("submissions") && jobs["submissions"].is_array();
    for (const nlohmann::json& s : ok ? jobs["submissions"] : nlohmann::json::array()) {
        ok = ok && s.is_object() && s.contains("job") && s["job"].is_number_integer() &&
             s.contains("groups") && integers(s["groups"]);
    }
    if (!ok) {
        throw std::invalid_argument(fmt::format(
            "{}: not a statetrack jobs file (expected {{\"submissions\": [{{\"job\": N, "
            "\"groups\": [...]}}, ...]}}); move it away to start the Slurm records afresh",
            path.string()));
    }
    return jobs;
}

// The last line of `path` that reports an error ("statetrack: error: ..." from a run,
// "slurmstepd: error: ..." from Slurm), or "".
std::string last_error_line(const std::string& path) {
    std::ifstream in(path);
    std::string line, found;
    while (std::getline(in, line)) {
        if (line.find("error") != std::string::npos ||
            line.find("CANCELLED") != std::string::npos) {
            found = line;
        }
    }
    return core::quote_for_message(found, 300);
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

// The spellings are string literals, so data() is NUL-terminated.
const char* slurm_run_state_name(SlurmRunState state) { return kStateNames.name(state).data(); }

struct SlurmSweep::Queued {
    std::map<int64_t, std::string> state;  // group -> RUNNING, PENDING, ... (running wins)
    std::map<int64_t, int64_t> last_job;   // group -> the last job it was submitted in
    std::set<int64_t> jobs_in_queue;
};

SlurmSweep::SlurmSweep(std::string config_text, SweepConfig config, std::vector<SweepPoint> points,
                       std::string out_dir, SlurmClient client)
    : config_text_(std::move(config_text)),
      config_(std::move(config)),
      points_(std::move(points)),
      out_dir_(fs::absolute(out_dir).lexically_normal().string()),
      client_(std::move(client)) {
    while (out_dir_.size() > 1 && out_dir_.back() == '/') {
        out_dir_.pop_back();
    }
}

std::string SlurmSweep::slurm_dir() const { return (fs::path(out_dir_) / "slurm").string(); }

// The queue is read before anything on disk (see the header): a group whose task leaves the
// queue between the two reads has already written its results.
SlurmSweep::Queued SlurmSweep::queued_groups() const {
    const std::vector<QueuedTask> queue = client_.queue();
    const nlohmann::json jobs = read_jobs(fs::path(slurm_dir()) / "jobs.json");
    Queued q;
    std::set<int64_t> ours;
    for (const nlohmann::json& s : jobs["submissions"]) {
        const auto job = s.at("job").get<int64_t>();
        ours.insert(job);
        for (const nlohmann::json& g : s.at("groups")) {
            q.last_job[g.get<int64_t>()] = job;
        }
    }
    for (const QueuedTask& t : queue) {
        if (ours.count(t.job) == 0) {
            continue;
        }
        q.jobs_in_queue.insert(t.job);
        std::string& state = q.state[t.task];
        if (state.empty() || t.state == "RUNNING" || t.state == "COMPLETING") {
            state = t.state;
        }
    }
    return q;
}

std::optional<SlurmSubmission> SlurmSweep::submit(const std::string& executable,
                                                  const SlurmOptions& options) const {
    const fs::path dir = slurm_dir();
    fs::create_directories(dir / "logs");
    const RunLock lock(dir.string(), RunLock::Wait::yes);
    const Queued queued = queued_groups();
    const fs::path config_copy = dir / "sweep_config.json";
    if (!queued.jobs_in_queue.empty() && fs::exists(config_copy) &&
        read_file(config_copy) != config_text_) {
        throw std::invalid_argument(fmt::format(
            "slurm: the sweep config differs from the one the queued tasks of job {} read ({}); "
            "wait for them or scancel them first",
            *queued.jobs_in_queue.begin(), config_copy.string()));
    }
    std::vector<int64_t> groups;
    int64_t runs = 0;
    for (const auto& [group, progress] : sweep_progress(points_, out_dir_)) {
        if (!progress.done() && queued.state.count(group) == 0) {
            groups.push_back(group);
            runs += static_cast<int64_t>(std::count_if(
                progress.progress.begin(), progress.progress.end(), [](RunProgress p) {
                    return p != RunProgress::finished && p != RunProgress::skipped;
                }));
        }
    }
    if (groups.empty()) {
        return std::nullopt;
    }
    const int64_t limit = client_.max_array_size();
    if (groups.back() >= limit) {
        throw std::invalid_argument(fmt::format(
            "slurm: the sweep has groups up to {}, but this cluster's MaxArraySize is {} (array "
            "task ids must be below it); split the sweep into sweeps of at most {} groups",
            groups.back(), limit, limit));
    }
    SlurmSubmission submission;
    submission.groups = groups;
    submission.array = slurm_array_spec(groups, options.max_parallel);
    const std::string script = sbatch_script(
        config_.name, {executable, config_copy.string(), out_dir_}, submission.array, options);
    core::write_text_atomically(config_copy.string(), config_text_);
    submission.job = client_.submit(script);
    core::write_text_atomically((dir / "sweep.sbatch").string(), script);
    nlohmann::json jobs = read_jobs(dir / "jobs.json");
    jobs["submissions"].push_back({{"job", submission.job},
                                   {"groups", groups},
                                   {"runs", runs},
                                   {"array", submission.array},
                                   {"submitted_at", static_cast<int64_t>(std::time(nullptr))}});
    core::write_text_atomically((dir / "jobs.json").string(), jobs.dump(2) + "\n");
    return submission;
}

std::vector<SlurmRunStatus> SlurmSweep::status() const { return status(queued_groups()); }

std::vector<SlurmRunStatus> SlurmSweep::status(const Queued& queued) const {
    std::vector<SlurmRunStatus> out;
    for (const auto& [group, progress] : sweep_progress(points_, out_dir_)) {
        const auto in_queue = queued.state.find(group);
        const auto job = queued.last_job.find(group);
        for (size_t i = 0; i < progress.points.size(); ++i) {
            SlurmRunStatus s;
            s.id = progress.points[i]->id;
            s.group = group;
            const RunProgress p = progress.progress[i];
            if (p == RunProgress::finished || p == RunProgress::skipped) {
                s.state =
                    p == RunProgress::finished ? SlurmRunState::finished : SlurmRunState::skipped;
            } else if (in_queue != queued.state.end()) {
                const bool running =
                    in_queue->second == "RUNNING" || in_queue->second == "COMPLETING";
                s.state = running && p == RunProgress::started ? SlurmRunState::running
                                                               : SlurmRunState::pending;
            } else if (job == queued.last_job.end() && p == RunProgress::not_started) {
                s.state = SlurmRunState::not_submitted;
            } else {
                s.state = SlurmRunState::failed;
                const fs::path run_log =
                    fs::path(sweep_run_dir(out_dir_, *progress.points[i])) / "run.log";
                const std::string task_log = job == queued.last_job.end()
                                                 ? ""
                                                 : (fs::path(slurm_dir()) / "logs" /
                                                    fmt::format("{}_{}.log", job->second, group))
                                                       .string();
                s.log = fs::exists(run_log) ? run_log.string() : task_log;
                s.error = s.log.empty() ? "" : last_error_line(s.log);
                if (s.error.empty() && !task_log.empty()) {
                    s.error = last_error_line(task_log);
                }
                if (s.error.empty()) {
                    s.error = "no result.json and no error line (killed or cancelled?)";
                }
            }
            out.push_back(std::move(s));
        }
    }
    return out;
}

int64_t SlurmSweep::wait(std::chrono::milliseconds poll) const {
    std::set<int64_t> groups;  // every group with a task in the queue at some poll
    std::string last_line;
    for (;;) {
        const Queued queued = queued_groups();
        int64_t running = 0, pending = 0;
        for (const auto& [group, state] : queued.state) {
            groups.insert(group);
            ++(state == "PENDING" ? pending : running);
        }
        const auto total = static_cast<int64_t>(groups.size());
        const std::string line = fmt::format("slurm: {} running, {} pending, {}/{} tasks done",
                                             running, pending, total - running - pending, total);
        if (line != last_line) {
            std::fprintf(stderr, "%s\n", line.c_str());
            last_line = line;
        }
        if (running + pending == 0) {
            break;
        }
        std::this_thread::sleep_for(poll);
    }
    int64_t failed = 0;
    for (const SlurmRunStatus& s : status()) {
        if (groups.count(s.group) != 0 && s.state == SlurmRunState::failed) {
            ++failed;
            std::fprintf(stderr, "slurm: run %s failed: %s (%s)\n", s.id.c_str(), s.error.c_str(),
                         s.log.c_str());
        }
    }
    return failed;
}

}  // namespace statetrack::harness
