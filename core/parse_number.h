// parse_number<T>: all of a text as one number of type T (an integer or floating-point type),
// read with std::from_chars, so "12" is 12 and "12x", " 12", "" and an out-of-range value are
// nullopt. Locale-independent and strict, for task specs, length ranges and command-line values,
// which each word their own error. Header-only.
#pragma once

#include <charconv>
#include <optional>
#include <string_view>
#include <system_error>

namespace statetrack::core {

template <typename T>
std::optional<T> parse_number(std::string_view text) {
    T value{};
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end) {
        return std::nullopt;
    }
    return value;
}

}  // namespace statetrack::core
