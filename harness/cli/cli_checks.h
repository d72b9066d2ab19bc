// Checks shared by the commands. Validators for the command line's numeric options. CLI11's own
// Range/PositiveNumber print the double limits in full ("not in range 0.000000 to 1797693...", 309
// digits); these say what the option takes in words and quote the given text escaped and truncated:
//   "--threads: must be a whole number from 0 to 64, got '99999'".
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <limits>
#include <string>

namespace statetrack::harness {

// A decimal integer in [lo, hi] (no sign for lo >= 0, no exponent, no fraction).
CLI::Validator whole_number(int64_t lo, int64_t hi = std::numeric_limits<int64_t>::max());

// A number in [0, 1].
CLI::Validator fraction();

// A device spec: cpu, cuda, cuda:N or auto (run_config.h check_device_spec).
CLI::Validator device_spec();

// Throws std::invalid_argument "<what> trains models, and this statetrack was built without
// LibTorch (...)" in a torch-free build; returns in a torch build.
void require_torch_build(const std::string& what);

}  // namespace statetrack::harness
