// Strict JSON for every document statetrack reads (configs, DFAs, claims, results, checkpoint
// state, safetensors headers). Contract:
//  - parse_strict_json(text, source) parses RFC 8259 JSON and additionally rejects: an object
//    with the same key twice (nlohmann would keep the last one: another DFA, another lr), nesting
//    deeper than kMaxJsonDepth (deep documents overflowed the stack when printed), and numbers
//    outside the range of a double (1e999).
//  - Every error is a JsonError (a std::invalid_argument), one line "SOURCE: invalid JSON: WHAT",
//    where WHAT (detail()) names the JSON pointer of the problem for duplicate keys and depth, and
//    is at most a few hundred characters (user text in it is truncated).
//  - read_json_file(path) reads a whole regular file of at most kMaxJsonFileBytes: "PATH: cannot
//    open the file", "PATH: not a regular file" (/dev/zero never ends), the size, or the above.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

namespace statetrack::core {

inline constexpr size_t kMaxJsonDepth = 64;
inline constexpr size_t kMaxJsonFileBytes = size_t{1} << 30;

class JsonError : public std::invalid_argument {
  public:
    JsonError(const std::string& source, const std::string& detail);
    const std::string& detail() const { return detail_; }  // WHAT, without the source

  private:
    std::string detail_;
};

nlohmann::json parse_strict_json(std::string_view text, const std::string& source);
nlohmann::json read_json_file(const std::string& path);

// `text` with control bytes escaped and at most `max_chars` characters kept ("..." marks a cut):
// for quoting user input in one-line messages.
std::string quote_for_message(std::string_view text, size_t max_chars = 80);

}  // namespace statetrack::core
