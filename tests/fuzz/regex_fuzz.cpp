// Fuzz target: the regex parser and the regex -> minimal DFA compiler (automata/regex.h) on any
// bytes. Answers allowed: a DFA or a RegexError (invalid_argument).
#include "automata/regex.h"
#include "automata/regex_parser.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view pattern = statetrack::fuzz::as_text(data, size);
    statetrack::fuzz::expect_clean([&] {
        statetrack::automata::parse_regex(pattern);
        statetrack::automata::regex_to_dfa(pattern);
    });
    return 0;
}
