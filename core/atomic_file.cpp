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
namespace {

// A temp name per process and call: two processes replacing one file (the array tasks of a
// Slurm sweep all write sweep.json) must not share, and so break, each other's temp file.
std::string temp_path(const std::string& path) {
    static std::atomic<uint64_t> counter{0};
    return fmt::format("{}.tmp-{}-{}", path, ::getpid(), counter++);
}

void write_text(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
        throw std::runtime_error(fmt::format("cannot write '{}'", path));
    }
}

void rename_file(const std::string& from, const std::string& to) {
    std::error_code error;
    std::filesystem::rename(from, to, error);
    if (error) {
        throw std::runtime_error(
            fmt::format("cannot rename '{}' to '{}': {}", from, to, error.message()));
    }
}

void remove_files(const std::vector<std::string>& paths) {
    std::error_code ignored;
    for (const std::string& path : paths) {
        std::filesystem::remove(path, ignored);
    }
}

}  // namespace

void write_file_atomically(const std::string& path,
                           const std::function<void(const std::string& tmp_path)>& write) {
    const std::string tmp = temp_path(path);
    try {
        write(tmp);
        rename_file(tmp, path);
    } catch (...) {
        remove_files({tmp});
        throw;
    }
}

void write_text_atomically(const std::string& path, const std::string& text) {
    write_file_atomically(path, [&](const std::string& tmp) { write_text(tmp, text); });
}

void write_files_atomically(const std::vector<std::pair<std::string, std::string>>& files) {
    std::vector<std::string> temps;
    for (const auto& file : files) {
        temps.push_back(temp_path(file.first));
    }
    try {
        for (size_t i = 0; i < files.size(); ++i) {
            write_text(temps[i], files[i].second);
        }
        for (size_t i = 0; i < files.size(); ++i) {
            rename_file(temps[i], files[i].first);
        }
    } catch (...) {
        remove_files(temps);
        throw;
    }
}

}  // namespace statetrack::core
