// Fuzz target: result.json records as the report reads them (results/result_record.h).
#include "fuzz_input.h"
#include "results/result_record.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    statetrack::fuzz::expect_clean_json(data, size, [](const nlohmann::json& json) {
        statetrack::results::parse_run_result(json, "<fuzz>");
    });
    return 0;
}
