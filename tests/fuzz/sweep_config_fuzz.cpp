// Fuzz target: sweep configs (harness/runs/sweep_config.h) and their grid expansion to run ids
// (harness/runs/sweep_grid.h), which is what `sweep --dry-run` does with them.
#include "fuzz_input.h"
#include "harness/runs/sweep_config.h"
#include "harness/runs/sweep_grid.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    statetrack::fuzz::expect_clean_json(data, size, [](const nlohmann::json& json) {
        const auto sweep = statetrack::harness::sweep_config_from_json(json);
        statetrack::harness::expand_sweep(sweep);
    });
    return 0;
}
