// Fuzz target: group specs ("A5", "Z3xS3", "(1 2 3); (1 2)") as `--group` and the task catalogue
// read them (automata/permutation_group.h), the closure bounded at 720 elements (S6) so that an
// execution costs milliseconds; the CLI's larger bounds are covered by permutation_group_test.
#include "automata/permutation_group.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    // Up to 256 bytes: longer specs only add generators, and the closure's cost (bounded by
    // kMaxClosureWork, which the unit tests cover) would slow every execution under ASan.
    if (size > 256) {
        return 0;
    }
    const std::string_view spec = statetrack::fuzz::as_text(data, size);
    statetrack::fuzz::expect_clean([&] {
        const auto group = statetrack::automata::PermutationGroup::from_spec(spec, 720);
        if (group.order() <= 64) {  // the Cayley table of a small group, as its DFA uses
            for (size_t i = 0; i < group.order(); ++i) {
                group.index_of(group.elements()[i] * group.elements()[(i * 7) % group.order()]);
            }
        }
    });
    return 0;
}
