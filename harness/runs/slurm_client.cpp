// SlurmClient (see slurm_client.h).
#include "harness/runs/slurm_client.h"

#include <fmt/format.h>

#include <cctype>
#include <chrono>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "harness/runs/subprocess.h"

namespace statetrack::harness {
namespace {

std::string trim(const std::string& text) {
    size_t b = 0, e = text.size();
    while (b < e && std::isspace(static_cast<unsigned char>(text[b])) != 0) {
        ++b;
    }
    while (e > b && std::isspace(static_cast<unsigned char>(text[e - 1])) != 0) {
        --e;
    }
    return text.substr(b, e - b);
}

bool whole_number(const std::string& text, int64_t& value) {
    if (text.empty() || text.size() > 18 ||
        text.find_first_not_of("0123456789") != std::string::npos) {
        return false;
    }
    value = std::stoll(text);
    return true;
}

// squeue and scontrol fail now and then while slurmctld is busy; a few retries cover it.
CommandOutput run_with_retries(const std::vector<std::string>& argv) {
    CommandOutput out;
    for (int attempt = 0; attempt < 5; ++attempt) {
        out = run_command(argv);
        if (out.exit_code == 0) {
            return out;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(500 << attempt));
    }
    throw std::runtime_error(
        fmt::format("slurm: {} failed: {}", argv[0], slurm_error_text(out.err + out.out)));
}

}  // namespace

std::string slurm_error_text(const std::string& stderr_text) {
    std::stringstream lines(stderr_text);
    std::string line, joined;
    while (std::getline(lines, line)) {
        const size_t at = line.find("error: ");
        if (at != std::string::npos) {
            joined += (joined.empty() ? "" : "; ") + trim(line.substr(at + 7));
        }
    }
    if (joined.empty()) {
        joined = trim(stderr_text);
        for (char& c : joined) {
            c = c == '\n' ? ' ' : c;
        }
    }
    return joined.empty() ? "(no message)" : joined;
}

std::vector<QueuedTask> parse_squeue(const std::string& text) {
    std::vector<QueuedTask> tasks;
    std::stringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        std::stringstream fields(trim(line));
        std::string job, task, state;
        QueuedTask t;
        if (std::getline(fields, job, '|') && std::getline(fields, task, '|') &&
            std::getline(fields, state) && whole_number(job, t.job) && whole_number(task, t.task)) {
            t.state = trim(state);
            tasks.push_back(t);
        }
    }
    return tasks;
}

SlurmClient::SlurmClient() {
    for (const char* program : {"sbatch", "squeue", "scontrol"}) {
        if (find_on_path(program).empty()) {
            throw std::invalid_argument(fmt::format(
                "--slurm needs Slurm's '{}' on the PATH, and it is not there (is this a "
                "cluster's login node? docs/cluster.md)",
                program));
        }
    }
}

int64_t SlurmClient::submit(const std::string& script) const {
    const CommandOutput out = run_command({"sbatch", "--parsable"}, script);
    if (out.exit_code != 0) {
        throw std::runtime_error(
            fmt::format("sbatch rejected the job: {}", slurm_error_text(out.err + out.out)));
    }
    // --parsable prints "<job id>" or "<job id>;<cluster>".
    const std::string first = trim(out.out.substr(0, out.out.find(';')));
    int64_t job = 0;
    if (!whole_number(first, job)) {
        throw std::runtime_error(
            fmt::format("sbatch printed no job id (it printed '{}')", trim(out.out)));
    }
    return job;
}

std::vector<QueuedTask> SlurmClient::queue() const {
    return parse_squeue(run_with_retries({"squeue", "-h", "-r", "--me", "-o", "%F|%K|%T"}).out);
}

int64_t SlurmClient::max_array_size() const {
    std::stringstream lines(run_with_retries({"scontrol", "show", "config"}).out);
    std::string line;
    while (std::getline(lines, line)) {
        const size_t eq = line.find('=');
        int64_t value = 0;
        if (eq != std::string::npos && trim(line.substr(0, eq)) == "MaxArraySize" &&
            whole_number(trim(line.substr(eq + 1)), value)) {
            return value;
        }
    }
    return 1001;
}

}  // namespace statetrack::harness
