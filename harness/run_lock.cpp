// RunLock (see run_lock.h).
#include "harness/run_lock.h"

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

RunLock::RunLock(const std::string& run_dir) {
    std::error_code ec;
    std::filesystem::create_directories(run_dir, ec);
    if (ec) {
        throw std::invalid_argument(
            fmt::format("cannot create run directory '{}': {}", run_dir, ec.message()));
    }
    const std::string path = (std::filesystem::path(run_dir) / ".lock").string();
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) {
        throw std::invalid_argument(fmt::format("run directory '{}' is not writable: {}", run_dir,
                                                std::strerror(errno)));
    }
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        const int error = errno;
        ::close(fd_);
        fd_ = -1;
        throw std::invalid_argument(
            error == EWOULDBLOCK
                ? fmt::format("run directory '{}' is in use by another statetrack process",
                              run_dir)
                : fmt::format("cannot lock run directory '{}': {}", run_dir,
                              std::strerror(error)));
    }
}

RunLock::~RunLock() {
    if (fd_ >= 0) {
        ::close(fd_);  // releases the lock; the file stays (removing it would race a new locker)
    }
}

}  // namespace statetrack::harness
