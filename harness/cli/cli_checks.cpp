// Command-line validators and checks (see cli_checks.h).
#include "harness/cli/cli_checks.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <stdexcept>
#include <string>

#include "core/strict_json.h"
#include "harness/runs/build_info.h"
#include "harness/runs/run_config.h"

namespace statetrack::harness {
namespace {

std::string range_words(int64_t lo, int64_t hi) {
    if (hi == std::numeric_limits<int64_t>::max()) {
        return fmt::format("a whole number >= {}", lo);
    }
    return fmt::format("a whole number from {} to {}", lo, hi);
}

}  // namespace

CLI::Validator whole_number(int64_t lo, int64_t hi) {
    const std::string words = range_words(lo, hi);
    return CLI::Validator(
        [lo, hi, words](std::string& input) -> std::string {
            int64_t value = 0;
            const char* end = input.data() + input.size();
            const auto [ptr, ec] = std::from_chars(input.data(), end, value);
            if (input.empty() || ec != std::errc() || ptr != end || value < lo || value > hi) {
                return fmt::format("must be {}, got '{}'", words,
                                   core::quote_for_message(input, 40));
            }
            return "";
        },
        hi == std::numeric_limits<int64_t>::max() ? fmt::format(">= {}", lo)
                                                  : fmt::format("{}..{}", lo, hi));
}

CLI::Validator fraction() {
    return CLI::Validator(
        [](std::string& input) -> std::string {
            size_t used = 0;
            double value = NAN;
            try {
                value = std::stod(input, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (used != input.size() || input.empty() || !(value >= 0.0 && value <= 1.0)) {
                return fmt::format("must be a number from 0 to 1, got '{}'",
                                   core::quote_for_message(input, 40));
            }
            return "";
        },
        "0..1");
}

CLI::Validator device_spec() {
    return CLI::Validator(
        [](std::string& input) -> std::string {
            try {
                check_device_spec(input);
            } catch (const std::invalid_argument& e) {
                return e.what();
            }
            return "";
        },
        "cpu|cuda|cuda:N|auto");
}

void require_torch_build(const std::string& what) {
    if (!built_with_torch()) {
        throw std::invalid_argument(
            fmt::format("{} trains models, and this statetrack was built without LibTorch "
                        "(STATETRACK_WITH_TORCH=OFF); use a build with LibTorch (scripts/build.sh)",
                        what));
    }
}

}  // namespace statetrack::harness
