// Fuzz target: safetensors files (model/safetensors.h): header, offsets, dtypes, checksum.
// Torch builds only (the reader returns torch tensors).
#include "fuzz_input.h"
#include "model/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string bytes(statetrack::fuzz::as_text(data, size));
    statetrack::fuzz::expect_clean([&] { statetrack::model::parse_safetensors(bytes, "<fuzz>"); });
    return 0;
}
