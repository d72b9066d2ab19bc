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

}  // namespace statetrack::fuzz
