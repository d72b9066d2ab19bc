// Byte-level helpers for the weights-file tests: read and write whole files, and the message of
// the std::runtime_error a call throws.
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

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
    try {
        f();
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "<no runtime_error>";
}

}  // namespace statetrack::model::testing
