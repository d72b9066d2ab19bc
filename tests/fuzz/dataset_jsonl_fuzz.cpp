// Fuzz target: frozen datasets (tasks/dataset_jsonl.h): header, examples, checksums.
#include <sstream>

#include "fuzz_input.h"
#include "tasks/dataset_jsonl.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::istringstream in{std::string(statetrack::fuzz::as_text(data, size))};
    statetrack::fuzz::expect_clean([&] { statetrack::tasks::read_dataset_jsonl(in, "<fuzz>"); });
    return 0;
}
