// core/remove_tree.h against std::filesystem (the independent reference here, where libstdc++'s
// own copy is bound): the same trees are gone with the same counts; links are removed, never
// followed; a missing path is 0; a failure is one line naming the entry.
#include "core/remove_tree.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace statetrack::core {
namespace {
namespace fs = std::filesystem;

class RemoveTree : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("statetrack_remove_tree_" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    // A tree of `depth` levels with two files and a subdirectory per level: 3·depth entries
    // under `root`, plus root itself.
    static void make_tree(const fs::path& root, int depth) {
        fs::path at = root;
        for (int level = 0; level < depth; ++level) {
            fs::create_directories(at);
            std::ofstream(at / "a.txt") << "a";
            std::ofstream(at / "b.bin") << std::string(1000, 'b');
            at /= "sub";
        }
        fs::create_directories(at);
    }
    fs::path dir_;
};

TEST_F(RemoveTree, RemovesWhatRemoveAllRemovesWithTheSameCount) {
    for (const int depth : {0, 1, 5}) {
        make_tree(dir_ / "ours", depth);
        make_tree(dir_ / "reference", depth);
        const uint64_t expected = fs::remove_all(dir_ / "reference");
        EXPECT_EQ(remove_tree((dir_ / "ours").string()), expected) << "depth " << depth;
        EXPECT_EQ(expected, static_cast<uint64_t>(3 * depth + 1));
        EXPECT_FALSE(fs::exists(dir_ / "ours"));
    }
}

TEST_F(RemoveTree, APlainFileAndAMissingPath) {
    std::ofstream(dir_ / "file") << "x";
    EXPECT_EQ(remove_tree((dir_ / "file").string()), 1u);
    EXPECT_FALSE(fs::exists(dir_ / "file"));
    EXPECT_EQ(remove_tree((dir_ / "file").string()), 0u);
    EXPECT_EQ(remove_tree((dir_ / "never" / "there").string()), 0u);
}

TEST_F(RemoveTree, LinksAreRemovedNotFollowed) {
    make_tree(dir_ / "target", 2);
    make_tree(dir_ / "tree", 1);
    fs::create_directory_symlink(dir_ / "target", dir_ / "tree" / "link_to_dir");
    fs::create_symlink(dir_ / "target" / "a.txt", dir_ / "tree" / "link_to_file");
    fs::create_symlink(dir_ / "nowhere", dir_ / "tree" / "dangling");
    EXPECT_EQ(remove_tree((dir_ / "tree").string()), 3u + 1u + 3u);
    EXPECT_FALSE(fs::exists(dir_ / "tree"));
    EXPECT_TRUE(fs::exists(dir_ / "target" / "sub" / "a.txt"));  // behind the link: untouched
    // A link given as the path itself is removed, its target kept.
    fs::create_directory_symlink(dir_ / "target", dir_ / "top_link");
    EXPECT_EQ(remove_tree((dir_ / "top_link").string()), 1u);
    EXPECT_TRUE(fs::exists(dir_ / "target" / "a.txt"));
}

TEST_F(RemoveTree, AFailureIsOneLineNamingThePath) {
    std::ofstream(dir_ / "file") << "x";
    const std::string bad = (dir_ / "file" / "inside").string();  // a file is no directory
    try {
        remove_tree(bad);
        FAIL() << "no error for " << bad;
    } catch (const std::runtime_error& e) {
        const std::string what = e.what();
        EXPECT_EQ(what, "cannot remove '" + bad + "': Not a directory");
    }
    EXPECT_TRUE(fs::exists(dir_ / "file"));
}

}  // namespace
}  // namespace statetrack::core
