// core/atomic_file.h: a replaced file is whole or untouched, and no temp file is left behind,
// for one file and for several at once (a failed write of any leaves every old file as it was).
#include "core/atomic_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "testing/read_text.h"

namespace statetrack::core {
namespace {
namespace fs = std::filesystem;

class AtomicFile : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("statetrack_atomic_" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::string path(const std::string& name) const { return (dir_ / name).string(); }
    std::string read(const std::string& name) const {
        return statetrack::testing::read_text(dir_ / name);
    }
    size_t file_count() const {
        size_t n = 0;
        for (const auto& e : fs::directory_iterator(dir_)) {
            EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos) << e.path();
            ++n;
        }
        return n;
    }

    fs::path dir_;
};

TEST_F(AtomicFile, ReplacesTheWholeFile) {
    write_text_atomically(path("a.json"), "first, longer text\n");
    write_text_atomically(path("a.json"), "second\n");
    EXPECT_EQ(read("a.json"), "second\n");
    EXPECT_EQ(file_count(), 1u);
}

TEST_F(AtomicFile, AFailedWriteLeavesTheOldFileAndNoTemp) {
    write_text_atomically(path("a.json"), "old\n");
    EXPECT_THROW(write_file_atomically(path("a.json"),
                                       [](const std::string& tmp) {
                                           std::ofstream(tmp) << "half";
                                           throw std::runtime_error("disk full");
                                       }),
                 std::runtime_error);
    EXPECT_EQ(read("a.json"), "old\n");
    EXPECT_EQ(file_count(), 1u);
}

TEST_F(AtomicFile, WritesSeveralFilesOrNone) {
    write_text_atomically(path("a.md"), "old a\n");
    write_files_atomically({{path("a.md"), "new a\n"}, {path("b.csv"), "new b\n"}});
    EXPECT_EQ(read("a.md"), "new a\n");
    EXPECT_EQ(read("b.csv"), "new b\n");
    // The second file cannot be written (its folder does not exist): the first stays old.
    try {
        write_files_atomically({{path("a.md"), "newer a\n"}, {path("no/such/b.csv"), "b\n"}});
        FAIL() << "expected an error";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("no/such/b.csv"), std::string::npos) << e.what();
    }
    EXPECT_EQ(read("a.md"), "new a\n");
    EXPECT_EQ(file_count(), 2u);
}

}  // namespace
}  // namespace statetrack::core
