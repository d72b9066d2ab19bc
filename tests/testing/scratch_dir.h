// ScratchDir: a fresh, empty directory for one test under the system temp dir, unique to this
// process (ctest runs suites in parallel) and removed, with what the test left in it, by the
// destructor. Named after the running GoogleTest test, or after `name`. Removal goes through
// core::remove_tree, not std::filesystem::remove_all, which crashes where a PyTorch wheel's
// libtorch is linked (core/file_tree.h).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <exception>
#include <filesystem>
#include <string>

#include "core/file_tree.h"

namespace statetrack::testing {

class ScratchDir {
  public:
    ScratchDir() : ScratchDir(current_test_name()) {}
    explicit ScratchDir(const std::string& name)
        : path_(std::filesystem::temp_directory_path() /
                ("statetrack_test_" + std::to_string(::getpid()) + "_" + name)) {
        core::remove_tree(path_.string());
        std::filesystem::create_directories(path_);
    }
    ~ScratchDir() {
        try {
            core::remove_tree(path_.string());
        } catch (const std::exception&) {  // a destructor must not throw; leave the rest
        }
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::string str() const { return path_.string(); }
    // The directory joined with `name`.
    std::string sub(const std::string& name) const { return (path_ / name).string(); }

  private:
    static std::string current_test_name() {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        return std::string(info->test_suite_name()) + "_" + info->name();
    }

    std::filesystem::path path_;
};

}  // namespace statetrack::testing
