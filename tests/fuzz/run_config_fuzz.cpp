// Fuzz target: run configs (harness/runs/run_config.h), including every size limit and estimate.
#include "core/strict_json.h"
#include "fuzz_input.h"
#include "harness/runs/run_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    statetrack::fuzz::expect_clean([&] {
        const auto json =
            statetrack::core::parse_strict_json(statetrack::fuzz::as_text(data, size), "<fuzz>");
        statetrack::harness::parse_run_config(json);
    });
    return 0;
}
