// Fuzz target: the regex parser and the regex -> minimal DFA compiler (automata/regex.h) on any
// bytes. Answers allowed: a DFA or a RegexError (invalid_argument). The compiler runs with a
// 200-state and 5·10^4-visit cap on patterns up to 256 bytes, so an execution costs
// milliseconds and a campaign reaches its executions; the CLI's default caps (same code, larger
// numbers) are covered by regex_test.cpp.
#include "automata/regex.h"
#include "automata/regex_parser.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view pattern = statetrack::fuzz::as_text(data, size);
    statetrack::fuzz::expect_clean([&] {
        statetrack::automata::parse_regex(pattern);
        if (pattern.size() <= 256) {
            statetrack::automata::regex_to_dfa(pattern, {}, 200, 50'000);
        }
    });
    return 0;
}
