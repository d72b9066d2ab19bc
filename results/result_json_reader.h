// Strict, typed access to one JSON object of a result.json: every error names the file and the
// full key path ("runs/a/result.json: evaluation[2].length: -1 is below the minimum 0").
// Unknown keys are ignored (forward compatibility); a missing or null required key is an error.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace statetrack::results {


class ResultJsonReader {
  public:
    // `json` must outlive the reader; `file` names the source in messages ("" for in-memory).
    ResultJsonReader(const nlohmann::json& json, std::string file, std::string path = "");

    bool has(const std::string& key) const;               // present and not null
    const nlohmann::json& json() const { return json_; }  // the object itself
    const std::string& file() const { return file_; }
    const std::string& path() const { return path_; }
    ResultJsonReader object(const std::string& key) const;
    const nlohmann::json& array(const std::string& key) const;
    ResultJsonReader element(const std::string& key, size_t index) const;  // array(key)[index]

    std::string string(const std::string& key) const;  // non-empty
    bool boolean(const std::string& key) const;
    int64_t integer(const std::string& key, int64_t min) const;
    double number(const std::string& key) const;
    double number_in(const std::string& key, double lo, double hi) const;
    // A JSON array of exactly two integers [lo, hi] with min <= lo <= hi.
    std::pair<int64_t, int64_t> integer_range(const std::string& key, int64_t min) const;

    // "<file>: <path.key>: <problem>".
    [[noreturn]] void fail(const std::string& key, const std::string& problem) const;
    std::string key_path(const std::string& key) const;

  private:
    const nlohmann::json& value(const std::string& key) const;  // required
    // value(key) after checking its JSON type with `is_kind`; otherwise fails "expected
    // <expected>, got <the value's type name>", or "got <the value>" when `show_value` (numbers,
    // where the value says more than its type).
    using KindTest = bool (nlohmann::json::*)() const noexcept;  // &nlohmann::json::is_string
    const nlohmann::json& value_of_kind(const std::string& key, KindTest is_kind,
                                        const char* expected, bool show_value = false) const;

    const nlohmann::json& json_;
    std::string file_;
    std::string path_;
};

}  // namespace statetrack::results
