// Typed access to result.json objects (see result_json_reader.h).
#include "results/result_json_reader.h"

#include <fmt/format.h>

#include <stdexcept>

namespace statetrack::results {

ResultJsonReader::ResultJsonReader(const nlohmann::json& json, std::string file, std::string path)
    : json_(json), file_(std::move(file)), path_(std::move(path)) {
    if (!json_.is_object()) {
        const std::string where = path_.empty() ? "the document" : path_;
        throw std::invalid_argument(
            fmt::format("{}{}{} is not a JSON object", file_, file_.empty() ? "" : ": ", where));
    }
}

std::string ResultJsonReader::key_path(const std::string& key) const {
    return path_.empty() ? key : path_ + "." + key;
}

void ResultJsonReader::fail(const std::string& key, const std::string& problem) const {
    throw std::invalid_argument(
        fmt::format("{}{}{}: {}", file_, file_.empty() ? "" : ": ", key_path(key), problem));
}

bool ResultJsonReader::has(const std::string& key) const {
    const auto it = json_.find(key);
    return it != json_.end() && !it->is_null();
}

const nlohmann::json& ResultJsonReader::value(const std::string& key) const {
    const auto it = json_.find(key);
    if (it == json_.end() || it->is_null()) {
        throw std::invalid_argument(
            fmt::format("{}{}missing key '{}'", file_, file_.empty() ? "" : ": ", key_path(key)));
    }
    return *it;
}

const nlohmann::json& ResultJsonReader::value_of_kind(const std::string& key, KindTest is_kind,
                                                      const char* expected, bool show_value) const {
    const auto& v = value(key);
    if (!(v.*is_kind)()) {
        fail(key, fmt::format("expected {}, got {}", expected,
                              show_value ? v.dump() : std::string(v.type_name())));
    }
    return v;
}

ResultJsonReader ResultJsonReader::object(const std::string& key) const {
    return ResultJsonReader(value_of_kind(key, &nlohmann::json::is_object, "an object"), file_,
                            key_path(key));
}

const nlohmann::json& ResultJsonReader::array(const std::string& key) const {
    return value_of_kind(key, &nlohmann::json::is_array, "an array");
}

ResultJsonReader ResultJsonReader::element(const std::string& key, size_t index) const {
    const auto& item = array(key).at(index);
    const std::string path = fmt::format("{}[{}]", key_path(key), index);
    if (!item.is_object()) {
        throw std::invalid_argument(fmt::format("{}{}{}: expected an object, got {}", file_,
                                                file_.empty() ? "" : ": ", path, item.type_name()));
    }
    return ResultJsonReader(item, file_, path);
}

std::string ResultJsonReader::string(const std::string& key) const {
    auto s = value_of_kind(key, &nlohmann::json::is_string, "a string").get<std::string>();
    if (s.empty()) {
        fail(key, "must not be empty");
    }
    return s;
}

bool ResultJsonReader::boolean(const std::string& key) const {
    return value_of_kind(key, &nlohmann::json::is_boolean, "true or false").get<bool>();
}

int64_t ResultJsonReader::integer(const std::string& key, int64_t min) const {
    const auto x = value_of_kind(key, &nlohmann::json::is_number_integer, "an integer",
                                 /*show_value=*/true)
                       .get<int64_t>();
    if (x < min) {
        fail(key, fmt::format("{} is below the minimum {}", x, min));
    }
    return x;
}

double ResultJsonReader::number(const std::string& key) const {
    return value_of_kind(key, &nlohmann::json::is_number, "a number", /*show_value=*/true)
        .get<double>();
}

double ResultJsonReader::number_in(const std::string& key, double lo, double hi) const {
    const double x = number(key);
    if (!(x >= lo && x <= hi)) {
        fail(key, fmt::format("{} is outside [{}, {}]", x, lo, hi));
    }
    return x;
}

std::pair<int64_t, int64_t> ResultJsonReader::integer_range(const std::string& key,
                                                            int64_t min) const {
    const auto& v = array(key);
    if (v.size() != 2 || !v[0].is_number_integer() || !v[1].is_number_integer()) {
        fail(key, fmt::format("expected [lo, hi] (two integers), got {}", v.dump()));
    }
    const auto lo = v[0].get<int64_t>();
    const auto hi = v[1].get<int64_t>();
    if (lo < min || hi < lo) {
        fail(key, fmt::format("[{}, {}] is not a range with {} <= lo <= hi", lo, hi, min));
    }
    return {lo, hi};
}

}  // namespace statetrack::results
