// Atomic multi-file write (see atomic_write.h).
#include "results/atomic_write.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <system_error>

namespace statetrack::results {
namespace {

void write_one(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
        throw std::runtime_error(fmt::format("cannot write '{}'", path));
    }
}

void remove_temps(const std::vector<std::pair<std::string, std::string>>& files) {
    std::error_code ignored;
    for (const auto& file : files) {
        std::filesystem::remove(file.first + ".tmp", ignored);
    }
}

}  // namespace

void write_files_atomically(const std::vector<std::pair<std::string, std::string>>& files) {
    try {
        for (const auto& [path, text] : files) {
            write_one(path + ".tmp", text);
        }
    } catch (...) {
        remove_temps(files);
        throw;
    }
    for (const auto& file : files) {
        std::error_code error;
        std::filesystem::rename(file.first + ".tmp", file.first, error);
        if (error) {
            remove_temps(files);
            throw std::runtime_error(fmt::format("cannot rename '{}.tmp' to '{}': {}", file.first,
                                                 file.first, error.message()));
        }
    }
}

}  // namespace statetrack::results
