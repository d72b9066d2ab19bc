// core/file_tree.h against std::filesystem (the independent reference here, where libstdc++'s
// own copy is bound). remove_tree: the same trees are gone with the same counts; links are
// removed, never followed; a missing path is 0; a failure is one line naming the path.
// find_files_named: the files recursive_directory_iterator finds, with the same spelling of their
// paths, through a linked top directory too.
#include "core/file_tree.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace statetrack::core {
namespace {
namespace fs = std::filesystem;

class FileTree : public ::testing::Test {
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

TEST_F(FileTree, RemovesWhatRemoveAllRemovesWithTheSameCount) {
    for (const int depth : {0, 1, 5}) {
        make_tree(dir_ / "ours", depth);
        make_tree(dir_ / "reference", depth);
        const uint64_t expected = fs::remove_all(dir_ / "reference");
        EXPECT_EQ(remove_tree((dir_ / "ours").string()), expected) << "depth " << depth;
        EXPECT_EQ(expected, static_cast<uint64_t>(3 * depth + 1));
        EXPECT_FALSE(fs::exists(dir_ / "ours"));
    }
}

TEST_F(FileTree, APlainFileAndAMissingPath) {
    std::ofstream(dir_ / "file") << "x";
    EXPECT_EQ(remove_tree((dir_ / "file").string()), 1u);
    EXPECT_FALSE(fs::exists(dir_ / "file"));
    EXPECT_EQ(remove_tree((dir_ / "file").string()), 0u);
    EXPECT_EQ(remove_tree((dir_ / "never" / "there").string()), 0u);
}

TEST_F(FileTree, LinksAreRemovedNotFollowed) {
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

TEST_F(FileTree, AFailureIsOneLineNamingThePath) {
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

std::vector<std::string> reference_find(const fs::path& dir, const std::string& name) {
    std::vector<std::string> files;
    for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator();
         ++it) {
        if (it->is_regular_file() && it->path().filename() == name) {
            files.push_back(it->path().string());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

TEST_F(FileTree, FindFilesNamedMatchesTheRecursiveIterator) {
    make_tree(dir_ / "runs", 4);
    for (const char* run : {"x", "y/z", "runs/sub/w"}) {
        fs::create_directories(dir_ / "runs" / run);
        std::ofstream(dir_ / "runs" / run / "result.json") << "{}";
    }
    fs::create_directories(dir_ / "runs" /
                           "result.json.d");  // a directory of that name: not a file
    fs::create_directory_symlink(dir_ / "runs" / "x", dir_ / "runs" / "link_to_x");  // not followed
    const std::vector<std::string> found =
        find_files_named((dir_ / "runs").string(), "result.json");
    EXPECT_EQ(found.size(), 3u);
    EXPECT_EQ(found, reference_find(dir_ / "runs", "result.json"));
    EXPECT_EQ(find_files_named((dir_ / "runs").string() + "/", "a.txt"),
              reference_find(dir_ / "runs", "a.txt"));
    EXPECT_TRUE(find_files_named((dir_ / "runs").string(), "nothing").empty());
    // A top directory given as a link is walked, its files named under the link.
    fs::create_directory_symlink(dir_ / "runs", dir_ / "linked_runs");
    EXPECT_EQ(find_files_named((dir_ / "linked_runs").string(), "result.json"),
              reference_find(dir_ / "linked_runs", "result.json"));
}

TEST_F(FileTree, FindFilesNamedNeedsADirectory) {
    std::ofstream(dir_ / "file") << "x";
    for (const fs::path& bad : {dir_ / "file", dir_ / "missing"}) {
        try {
            find_files_named(bad.string(), "result.json");
            FAIL() << bad;
        } catch (const std::invalid_argument& e) {
            EXPECT_EQ(std::string(e.what()), "'" + bad.string() + "' is not a directory");
        }
    }
}

}  // namespace
}  // namespace statetrack::core
