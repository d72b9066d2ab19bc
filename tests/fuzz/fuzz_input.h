// Shared by the fuzz targets (tests/fuzz/*_fuzz.cpp): each defines LLVMFuzzerTestOneInput over
// one reader, and a reader's only allowed answers to bad input are its documented exception
// types. Anything else -- a crash, a sanitizer report, an exception of another type, a hang --
// is a finding. Built with libFuzzer (scripts/fuzz.sh, clang) or with replay_main.cpp, which runs
// the seed corpus as a ctest under the sanitizer build (CI).
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/strict_json.h"

namespace statetrack::fuzz {

inline std::string_view as_text(const uint8_t* data, size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// Runs `read`; the exception types the reader documents (std::invalid_argument, which JsonError
// and RegexError are, and std::runtime_error) are expected answers and swallowed. Anything else
// propagates and aborts the fuzzer with the input saved.
template <typename Fn>
void expect_clean(Fn&& read) {
    try {
        read();
    } catch (const std::invalid_argument&) {
    } catch (const std::runtime_error&) {
    }
}

// For the readers of JSON documents: the input parsed by core::parse_strict_json (source
// "<fuzz>"), then handed to read(json), both under expect_clean, so the JSON layer is fuzzed
// along with the reader.
template <typename Fn>
void expect_clean_json(const uint8_t* data, size_t size, Fn&& read) {
    expect_clean([&] { read(core::parse_strict_json(as_text(data, size), "<fuzz>")); });
}

}  // namespace statetrack::fuzz
