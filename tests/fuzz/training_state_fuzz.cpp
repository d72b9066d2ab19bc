// Fuzz target: the training state a checkpoint's state.json holds (harness/runs/training_state.h).
#include "fuzz_input.h"
#include "harness/runs/training_state.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    statetrack::fuzz::expect_clean_json(data, size, [](const nlohmann::json& json) {
        statetrack::harness::training_state_from_json(json, "<fuzz>");
    });
    return 0;
}
