// harness/runs/write_build_info.cmake, run as every build runs it, on a git repository of the
// test's own (so the result does not depend on the state of this checkout): the generated
// git_commit() is `git rev-parse --short=12 HEAD` of the moment, with "-dirty" while a tracked
// file differs from it, "unknown" outside git; an unchanged text leaves the file untouched (an
// unchanged commit recompiles nothing).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "harness/runs/subprocess.h"
#include "testing/scratch_dir.h"

namespace statetrack::harness {
namespace {

using statetrack::testing::ScratchDir;

class BuildInfoScript : public ::testing::Test {
  protected:
    // Runs git in the test's repository; fails the test on a non-zero exit.
    std::string git(std::vector<std::string> args) {
        args.insert(args.begin(), {"git", "-C", repo_, "-c", "user.name=t", "-c",
                                   "user.email=t@example.com", "-c", "commit.gpgsign=false"});
        const CommandOutput r = run_command(args);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return r.out;
    }
    void write(const std::string& name, const std::string& text) {
        std::ofstream(repo_ + "/" + name) << text;
    }
    // Runs the script for SOURCE_DIR `source`; returns the commit the generated file names.
    // Git looks no higher than the temp directory, in case that lies inside some checkout.
    std::string generated_commit(const std::string& source) {
        const CommandOutput r = run_command(
            {"cmake", "-E", "env", "GIT_CEILING_DIRECTORIES=" + dir_.path().parent_path().string(),
             "cmake", "-DSOURCE_DIR=" + source, "-DOUTPUT=" + output_, "-DVERSION=9.8.7",
             "-DWITH_TORCH=false", "-P",
             STATETRACK_SOURCE_DIR "/harness/runs/write_build_info.cmake"});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        std::ifstream in(output_);
        std::stringstream text;
        text << in.rdbuf();
        const std::string s = text.str();
        EXPECT_NE(s.find("return \"9.8.7\";"), std::string::npos) << s;
        const std::string key = "git_commit() { return \"";
        const size_t at = s.find(key);
        if (at == std::string::npos) {
            ADD_FAILURE() << "no git_commit() in:\n" << s;
            return "";
        }
        const size_t begin = at + key.size();
        return s.substr(begin, s.find('"', begin) - begin);
    }
    long long output_mtime_ns() const {
        struct stat st {};
        EXPECT_EQ(::stat(output_.c_str(), &st), 0);
        return static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
    }

    ScratchDir dir_;
    std::string repo_ = dir_.sub("repo");
    std::string output_ = dir_.sub("build_info.cpp");
};

TEST_F(BuildInfoScript, NamesTheCommitOfTheMomentAndADirtyTree) {
    ASSERT_EQ(run_command({"git", "init", "-q", repo_}).exit_code, 0);
    write("a.txt", "one\n");
    git({"add", "a.txt"});
    git({"commit", "-q", "-m", "first"});
    const std::string first = git({"rev-parse", "--short=12", "HEAD"}).substr(0, 12);
    ASSERT_EQ(first.size(), 12u);
    EXPECT_EQ(generated_commit(repo_), first);

    // The same text again: the file is not rewritten.
    const long long mtime = output_mtime_ns();
    EXPECT_EQ(generated_commit(repo_), first);
    EXPECT_EQ(output_mtime_ns(), mtime);

    write("untracked.txt", "x\n");  // untracked files do not make the tree dirty
    EXPECT_EQ(generated_commit(repo_), first);
    write("a.txt", "two\n");
    EXPECT_EQ(generated_commit(repo_), first + "-dirty");

    git({"commit", "-q", "-am", "second"});
    const std::string second = git({"rev-parse", "--short=12", "HEAD"}).substr(0, 12);
    ASSERT_NE(second, first);
    EXPECT_EQ(generated_commit(repo_), second);
}

TEST_F(BuildInfoScript, OutsideGitTheCommitIsUnknown) {
    EXPECT_EQ(generated_commit(dir_.str()), "unknown");
}

}  // namespace
}  // namespace statetrack::harness
