// run_cli: runs cli_main in-process, as `statetrack ARGS...`, with stdin fed from a string and
// stdout/stderr captured, for the CLI tests of every command group.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "harness/cli/cli.h"

namespace statetrack::harness::testing_cli {

struct CliResult {
    int code = 0;
    std::string out;
    std::string err;
};

inline CliResult run_cli(std::vector<std::string> args, const std::string& stdin_text = "") {
    args.insert(args.begin(), "statetrack");
    std::vector<char*> argv;
    for (auto& a : args) {
        argv.push_back(a.data());
    }
    std::istringstream in(stdin_text);
    auto* old_cin = std::cin.rdbuf(in.rdbuf());
    ::testing::internal::CaptureStdout();
    ::testing::internal::CaptureStderr();
    CliResult r;
    r.code = cli_main(static_cast<int>(argv.size()), argv.data());
    std::cout.flush();
    std::fflush(stdout);
    r.out = ::testing::internal::GetCapturedStdout();
    r.err = ::testing::internal::GetCapturedStderr();
    std::cin.rdbuf(old_cin);
    return r;
}

}  // namespace statetrack::harness::testing_cli
