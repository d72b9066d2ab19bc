// Byte-level helpers for the weights-file tests: read and write whole files, and the message of
// the std::runtime_error a call throws.
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "testing/error_of.h"

namespace statetrack::model::testing {

inline std::string read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

inline void write_bytes(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
}

// "<no runtime_error>" when f returns normally.
template <typename F>
std::string error_of(F&& f) {
    return statetrack::testing::error_of<std::runtime_error>(f);
}

}  // namespace statetrack::model::testing
