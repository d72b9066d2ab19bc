// Directory-tree walks (see file_tree.h). nftw's callback takes no context, so each walk keeps
// its state in thread_local variables set just before the walk.
#include "core/file_tree.h"

#include <fmt/format.h>
#include <ftw.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace statetrack::core {
namespace {

constexpr int kOpenDirectories = 16;

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

thread_local const std::string* wanted_name = nullptr;
thread_local std::vector<std::string>* found_files = nullptr;

int collect_entry(const char* path, const struct stat* /*info*/, int type, struct FTW* at) {
    if (type == FTW_F && std::strcmp(path + at->base, wanted_name->c_str()) == 0) {
        found_files->emplace_back(path);
    }
    return 0;  // FTW_DNR (unreadable directory) and the rest: skipped
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
    if (::nftw(path.c_str(), remove_entry, kOpenDirectories, FTW_DEPTH | FTW_PHYS) != 0) {
        throw std::runtime_error(
            first_error.empty() ? fmt::format("cannot remove '{}': {}", path, std::strerror(errno))
                                : first_error);
    }
    return removed_entries;
}

std::vector<std::string> find_files_named(const std::string& dir, const std::string& name) {
    struct stat info {};
    if (::stat(dir.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
        throw std::invalid_argument(fmt::format("'{}' is not a directory", dir));
    }
    // nftw does not enter a top-level link (FTW_PHYS): walk its target, report paths under dir.
    std::string root = dir;
    while (root.size() > 1 && root.back() == '/') {
        root.pop_back();
    }
    std::string walked = root;
    if (::lstat(root.c_str(), &info) == 0 && S_ISLNK(info.st_mode)) {
        char* target = ::realpath(root.c_str(), nullptr);
        if (target != nullptr) {
            walked = target;
            std::free(target);
        }
    }
    std::vector<std::string> files;
    wanted_name = &name;
    found_files = &files;
    const int status = ::nftw(walked.c_str(), collect_entry, kOpenDirectories, FTW_PHYS);
    wanted_name = nullptr;
    found_files = nullptr;
    if (status != 0) {
        throw std::runtime_error(fmt::format("cannot walk '{}': {}", dir, std::strerror(errno)));
    }
    for (std::string& file : files) {
        file = root + file.substr(walked.size());
    }
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace statetrack::core
