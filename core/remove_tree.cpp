// remove_tree (see remove_tree.h): a depth-first nftw walk that removes each entry after its
// children.
#include "core/remove_tree.h"

#include <fmt/format.h>
#include <ftw.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace statetrack::core {
namespace {

// nftw's callback takes no context: the walk's count and first error, per thread.
thread_local uint64_t removed_entries = 0;
thread_local std::string first_error;

int remove_entry(const char* path, const struct stat* /*info*/, int /*type*/, struct FTW* /*at*/) {
    if (std::remove(path) != 0) {
        first_error = fmt::format("cannot remove '{}': {}", path, std::strerror(errno));
        return 1;  // stops the walk
    }
    ++removed_entries;
    return 0;
}

}  // namespace

uint64_t remove_tree(const std::string& path) {
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0) {
        if (errno == ENOENT) {
            return 0;
        }
        throw std::runtime_error(fmt::format("cannot remove '{}': {}", path, std::strerror(errno)));
    }
    removed_entries = 0;
    first_error.clear();
    constexpr int kOpenDirectories = 16;
    if (::nftw(path.c_str(), remove_entry, kOpenDirectories, FTW_DEPTH | FTW_PHYS) != 0) {
        throw std::runtime_error(first_error.empty() ? fmt::format("cannot remove '{}': {}", path,
                                                                   std::strerror(errno))
                                                     : first_error);
    }
    return removed_entries;
}

}  // namespace statetrack::core
