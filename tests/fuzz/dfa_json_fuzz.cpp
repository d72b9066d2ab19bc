// Fuzz target: DFA JSON files (automata/dfa_json.h), as given and completed with a sink.
#include "automata/dfa_json.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text = statetrack::fuzz::as_text(data, size);
    for (const bool complete : {false, true}) {
        statetrack::fuzz::expect_clean(
            [&] { statetrack::automata::parse_dfa_json(text, complete); });
    }
    return 0;
}
