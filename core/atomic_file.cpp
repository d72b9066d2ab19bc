// Atomic file replacement (see atomic_file.h).
#include "core/atomic_file.h"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <system_error>

namespace statetrack::core {

void write_file_atomically(const std::string& path,
                           const std::function<void(const std::string& tmp_path)>& write) {
    // A temp name per process and call: two processes replacing one file (the array tasks of a
    // Slurm sweep all write sweep.json) must not share, and so break, each other's temp file.
    static std::atomic<uint64_t> counter{0};
    const std::string tmp = fmt::format("{}.tmp-{}-{}", path, ::getpid(), counter++);
    std::error_code ignored;
    try {
        write(tmp);
    } catch (...) {
        std::filesystem::remove(tmp, ignored);
        throw;
    }
    std::error_code error;
    std::filesystem::rename(tmp, path, error);
    if (error) {
        std::filesystem::remove(tmp, ignored);
        throw std::runtime_error(
            fmt::format("cannot rename '{}' to '{}': {}", tmp, path, error.message()));
    }
}

void write_text_atomically(const std::string& path, const std::string& text) {
    write_file_atomically(path, [&](const std::string& tmp) {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text;
        out.close();
        if (!out) {
            throw std::runtime_error(fmt::format("cannot write '{}'", tmp));
        }
    });
}

}  // namespace statetrack::core
