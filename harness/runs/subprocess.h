// Running an external program (sbatch, squeue, ...) to completion and capturing what it says.
// Contract: run_command spawns argv[0] looked up on the PATH, feeds it `input` on stdin, and
// returns its exit code with everything it wrote to stdout and stderr; a program that cannot be
// started is exit code 127 with the reason in `err`, as a shell reports it. find_on_path is
// the PATH lookup alone ("" when absent), so callers can fail early with one clear line.
#pragma once

#include <string>
#include <vector>

namespace statetrack::harness {

struct CommandOutput {
    int exit_code = 0;  // 128 + N when killed by signal N
    std::string out;
    std::string err;
};

CommandOutput run_command(const std::vector<std::string>& argv, const std::string& input = "");

std::string find_on_path(const std::string& program);

}  // namespace statetrack::harness
