// JsonConfigReader: strict reading of one JSON config object, shared by every model config (and
// the harness's run configs). The constructor rejects a non-object and any key not in the
// allowed list, naming the key and every allowed one; each getter rejects a value of the wrong
// JSON type, naming the key and the value. Errors are std::invalid_argument starting with
// `what` (e.g. "transformer config"), so a user sees one line that says what and where.
//   JsonConfigReader in(json, "lstm config", {"type", "vocab_size", "d_model"});
//   const int64_t d = in.integer("d_model", 128);        // 128 when absent
//   const int64_t v = in.required_integer("vocab_size"); // error when absent
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace statetrack::core {

class JsonConfigReader {
  public:
    JsonConfigReader(const nlohmann::json& json, std::string what,
                     std::vector<std::string> allowed_keys);

    bool has(const std::string& key) const;
    int64_t integer(const std::string& key, int64_t fallback) const;
    int64_t required_integer(const std::string& key) const;
    double number(const std::string& key, double fallback) const;
    bool boolean(const std::string& key, bool fallback) const;
    std::string string(const std::string& key, const std::string& fallback) const;
    // A string that must be one of `choices`.
    std::string choice(const std::string& key, const std::string& fallback,
                       const std::vector<std::string>& choices) const;
    // The raw value (any JSON type); error when absent.
    const nlohmann::json& required(const std::string& key) const;

    // Throws "<what>: '<key>' <message>".
    [[noreturn]] void fail(const std::string& key, const std::string& message) const;

  private:
    const nlohmann::json* find(const std::string& key) const;
    // The value at `key`, or nullptr when absent (the getter then returns its fallback); fails
    // "must be <expected>, got <value>" when `is_kind` rejects the value's JSON type.
    const nlohmann::json* find_kind(const std::string& key,
                                    bool (nlohmann::json::*is_kind)() const noexcept,
                                    const char* expected) const;

    const nlohmann::json& json_;
    std::string what_;
};

// Joins names as "a, b, c" for error messages.
std::string join_names(const std::vector<std::string>& names);

}  // namespace statetrack::core
