// Fuzz target: group specs ("A5", "Z3xS3", "(1 2 3); (1 2)") as `--group` and the task catalogue
// read them (automata/permutation_group.h), with the closure bounded as the CLI bounds it.
#include "automata/permutation_group.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view spec = statetrack::fuzz::as_text(data, size);
    statetrack::fuzz::expect_clean([&] {
        const auto group = statetrack::automata::PermutationGroup::from_spec(spec, 5000);
        if (group.order() <= 64) {  // the Cayley table of a small group, as its DFA uses
            for (size_t i = 0; i < group.order(); ++i) {
                group.index_of(group.elements()[i] * group.elements()[(i * 7) % group.order()]);
            }
        }
    });
    return 0;
}
