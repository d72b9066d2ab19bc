// read_text: a whole file as a string, for the tests that check what the code under test wrote.
// Contract: read in binary mode (the bytes as written); "" when the file cannot be opened, so a
// missing file fails the comparison that reads it instead of throwing. GoogleTest-free.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace statetrack::testing {

inline std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace statetrack::testing
