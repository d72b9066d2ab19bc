// Fuzz target: run configs (harness/runs/run_config.h), including every size limit and estimate.
#include "fuzz_input.h"
#include "harness/runs/run_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    statetrack::fuzz::expect_clean_json(data, size, [](const nlohmann::json& json) {
        statetrack::harness::parse_run_config(json);
    });
    return 0;
}
