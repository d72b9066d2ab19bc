// RunLock (see run_lock.h).
#include "harness/runs/run_lock.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace statetrack::harness {

RunLock::RunLock(const std::string& run_dir, Wait wait) : RunLock(run_dir, wait, nullptr) {}

// `held`, when given, is set instead of throwing when another process holds the lock.
RunLock::RunLock(const std::string& dir, Wait wait, bool* held) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        throw std::invalid_argument(
            fmt::format("cannot create run directory '{}': {}", dir, ec.message()));
    }
    const std::string path = (std::filesystem::path(dir) / ".lock").string();
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) {
        throw std::invalid_argument(
            fmt::format("run directory '{}' is not writable: {}", dir, std::strerror(errno)));
    }
    int rc = 0;
    while ((rc = ::flock(fd_, wait == Wait::yes ? LOCK_EX : LOCK_EX | LOCK_NB)) != 0 &&
           errno == EINTR) {
    }
    if (rc == 0) {
        return;
    }
    const int error = errno;
    ::close(fd_);
    fd_ = -1;
    if (error == EWOULDBLOCK && held != nullptr) {
        *held = true;
        return;
    }
    throw std::invalid_argument(
        error == EWOULDBLOCK
            ? fmt::format("run directory '{}' is in use by another statetrack process", dir)
            : fmt::format("cannot lock run directory '{}': {}", dir, std::strerror(error)));
}

std::unique_ptr<RunLock> RunLock::try_lock(const std::string& dir) {
    bool held = false;
    std::unique_ptr<RunLock> lock(new RunLock(dir, Wait::no, &held));
    return held ? nullptr : std::move(lock);
}

RunLock::~RunLock() {
    if (fd_ >= 0) {
        ::close(fd_);  // releases the lock; the file stays (removing it would race a new locker)
    }
}

}  // namespace statetrack::harness
