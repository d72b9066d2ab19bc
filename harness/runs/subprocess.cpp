// run_command and find_on_path (see subprocess.h).
#include "harness/runs/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace statetrack::harness {
namespace {

struct Pipe {
    int fd[2] = {-1, -1};
    Pipe() {
        if (::pipe2(fd, O_CLOEXEC) != 0) {
            throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
        }
    }
    ~Pipe() { close_both(); }
    void close_end(int i) {
        if (fd[i] >= 0) {
            ::close(fd[i]);
            fd[i] = -1;
        }
    }
    void close_both() {
        close_end(0);
        close_end(1);
    }
};

// Writes `input` to the child's stdin and drains its stdout and stderr together, so that a
// child filling one pipe while we block on another cannot deadlock.
void exchange(Pipe& in, Pipe& out, Pipe& err, const std::string& input, CommandOutput& result) {
    size_t written = 0;
    if (input.empty()) {
        in.close_end(1);
    }
    std::array<char, 4096> buffer{};
    while (out.fd[0] >= 0 || err.fd[0] >= 0) {
        std::array<pollfd, 3> fds{
            {{out.fd[0], POLLIN, 0}, {err.fd[0], POLLIN, 0}, {in.fd[1], POLLOUT, 0}}};
        if (::poll(fds.data(), fds.size(), -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
        }
        if (fds[2].revents != 0) {
            const ssize_t n = ::write(in.fd[1], input.data() + written, input.size() - written);
            written += n > 0 ? static_cast<size_t>(n) : 0;
            if (n < 0 || written == input.size()) {
                in.close_end(1);
            }
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].revents == 0) {
                continue;
            }
            Pipe& p = i == 0 ? out : err;
            const ssize_t n = ::read(p.fd[0], buffer.data(), buffer.size());
            if (n > 0) {
                (i == 0 ? result.out : result.err).append(buffer.data(), static_cast<size_t>(n));
            } else if (n == 0 || errno != EINTR) {
                p.close_end(0);
            }
        }
    }
    in.close_end(1);
}

}  // namespace

CommandOutput run_command(const std::vector<std::string>& argv, const std::string& input) {
    CommandOutput result;
    const std::string path = argv.empty() ? "" : find_on_path(argv[0]);
    if (path.empty()) {
        result.exit_code = 127;
        result.err =
            (argv.empty() ? std::string("(no program)") : argv[0]) + ": not found on the PATH";
        return result;
    }
    Pipe in, out, err;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in.fd[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out.fd[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err.fd[1], 2);
    std::vector<std::string> args = argv;
    std::vector<char*> raw;
    for (std::string& a : args) {
        raw.push_back(a.data());
    }
    raw.push_back(nullptr);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, path.c_str(), &actions, nullptr, raw.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    in.close_end(0);
    out.close_end(1);
    err.close_end(1);
    if (rc != 0) {
        result.exit_code = 127;
        result.err = argv[0] + ": cannot start: " + std::strerror(rc);
        return result;
    }
    // A child that exits before reading all of stdin must not kill us with SIGPIPE.
    struct sigaction ignore {
    }, previous{};
    ignore.sa_handler = SIG_IGN;
    ::sigaction(SIGPIPE, &ignore, &previous);
    try {
        exchange(in, out, err, input, result);
    } catch (...) {
        ::sigaction(SIGPIPE, &previous, nullptr);
        ::waitpid(pid, nullptr, 0);
        throw;
    }
    ::sigaction(SIGPIPE, &previous, nullptr);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

std::string find_on_path(const std::string& program) {
    namespace fs = std::filesystem;
    if (program.find('/') != std::string::npos) {
        return ::access(program.c_str(), X_OK) == 0 ? program : "";
    }
    const char* env = std::getenv("PATH");
    std::stringstream dirs(env != nullptr ? env : "/usr/bin:/bin");
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        const fs::path candidate = fs::path(dir.empty() ? "." : dir) / program;
        std::error_code ec;
        if (fs::is_regular_file(candidate, ec) && ::access(candidate.c_str(), X_OK) == 0) {
            return candidate.string();
        }
    }
    return "";
}

}  // namespace statetrack::harness
