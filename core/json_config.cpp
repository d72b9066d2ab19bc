// JsonConfigReader (see json_config.h).
#include "core/json_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <utility>

namespace statetrack::core {

std::string join_names(const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& name : names) {
        out += out.empty() ? name : ", " + name;
    }
    return out;
}

JsonConfigReader::JsonConfigReader(const nlohmann::json& json, std::string what,
                                   std::vector<std::string> allowed_keys)
    : json_(json), what_(std::move(what)) {
    if (!json_.is_object()) {
        throw std::invalid_argument(
            fmt::format("{}: must be a JSON object, got {}", what_, json_.dump()));
    }
    for (const auto& item : json_.items()) {
        if (std::find(allowed_keys.begin(), allowed_keys.end(), item.key()) == allowed_keys.end()) {
            throw std::invalid_argument(fmt::format("{}: unknown key '{}' (allowed: {})", what_,
                                                    item.key(), join_names(allowed_keys)));
        }
    }
}

const nlohmann::json* JsonConfigReader::find(const std::string& key) const {
    const auto it = json_.find(key);
    return it == json_.end() ? nullptr : &*it;
}

bool JsonConfigReader::has(const std::string& key) const { return find(key) != nullptr; }

void JsonConfigReader::fail(const std::string& key, const std::string& message) const {
    throw std::invalid_argument(fmt::format("{}: '{}' {}", what_, key, message));
}

const nlohmann::json* JsonConfigReader::find_kind(const std::string& key,
                                                  bool (nlohmann::json::*is_kind)() const noexcept,
                                                  const char* expected) const {
    const nlohmann::json* value = find(key);
    if (value != nullptr && !(value->*is_kind)()) {
        fail(key, fmt::format("must be {}, got {}", expected, value->dump()));
    }
    return value;
}

int64_t JsonConfigReader::integer(const std::string& key, int64_t fallback) const {
    const nlohmann::json* value = find_kind(key, &nlohmann::json::is_number_integer, "an integer");
    if (value == nullptr) {
        return fallback;
    }
    // An unsigned value above 2^63 - 1 would wrap to a negative int64_t.
    if (value->is_number_unsigned() &&
        value->get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        fail(key, fmt::format("= {} is out of range (at most {})", value->dump(),
                              std::numeric_limits<int64_t>::max()));
    }
    return value->get<int64_t>();
}

int64_t JsonConfigReader::required_integer(const std::string& key) const {
    if (!has(key)) {
        fail(key, "is required");
    }
    return integer(key, 0);
}

double JsonConfigReader::number(const std::string& key, double fallback) const {
    const nlohmann::json* value = find_kind(key, &nlohmann::json::is_number, "a number");
    return value == nullptr ? fallback : value->get<double>();
}

bool JsonConfigReader::boolean(const std::string& key, bool fallback) const {
    const nlohmann::json* value = find_kind(key, &nlohmann::json::is_boolean, "true or false");
    return value == nullptr ? fallback : value->get<bool>();
}

std::string JsonConfigReader::string(const std::string& key, const std::string& fallback) const {
    const nlohmann::json* value = find_kind(key, &nlohmann::json::is_string, "a string");
    return value == nullptr ? fallback : value->get<std::string>();
}

std::string JsonConfigReader::choice(const std::string& key, const std::string& fallback,
                                     const std::vector<std::string>& choices) const {
    const std::string value = string(key, fallback);
    if (std::find(choices.begin(), choices.end(), value) == choices.end()) {
        fail(key, fmt::format("= \"{}\" is not one of: {}", value, join_names(choices)));
    }
    return value;
}

const nlohmann::json& JsonConfigReader::required(const std::string& key) const {
    const nlohmann::json* value = find(key);
    if (value == nullptr) {
        fail(key, "is required");
    }
    return *value;
}

}  // namespace statetrack::core
