// EnumNames: the one way statetrack spells an enum's values as text and reads text back.
// A table is a constexpr list of {value, spelling} entries, built with enum_names(v, "v", ...).
// Contract: spellings compare exactly (case and spaces matter); the first entry for a value or
// for a spelling wins; name() of a value without an entry (an out-of-range cast) is the table's
// otherwise() fallback, or throws std::logic_error; find() is std::nullopt for unknown text and
// parse() throws std::invalid_argument "'x' is not one of 'a', 'b', 'c'" (list() in quotes).
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

namespace statetrack::core {

template <typename Enum>
struct EnumName {
    Enum value;
    std::string_view text;
};

template <typename Enum, size_t N>
struct EnumNames {
    std::array<EnumName<Enum>, N> entries{};
    std::string_view fallback{};  // name() of a value without an entry, when has_fallback
    bool has_fallback = false;

    // The spelling of `value`, std::nullopt when it has no entry.
    constexpr std::optional<std::string_view> find_name(Enum value) const {
        for (const EnumName<Enum>& e : entries) {
            if (e.value == value) {
                return e.text;
            }
        }
        return std::nullopt;
    }

    // The spelling of `value`; for a value without an entry, the fallback set by otherwise(),
    // or std::logic_error when there is none.
    constexpr std::string_view name(Enum value) const {
        const std::optional<std::string_view> text = find_name(value);
        if (!text && !has_fallback) {
            throw std::logic_error("enum value without a name");
        }
        return text ? *text : fallback;
    }

    // This table, naming a value without an entry `text`, or as `value` is named.
    constexpr EnumNames otherwise(std::string_view text) const {
        EnumNames out = *this;
        out.fallback = text;
        out.has_fallback = true;
        return out;
    }
    constexpr EnumNames otherwise(Enum value) const { return otherwise(name(value)); }

    constexpr std::optional<Enum> find(std::string_view text) const {
        for (const EnumName<Enum>& e : entries) {
            if (e.text == text) {
                return e.value;
            }
        }
        return std::nullopt;
    }

    Enum parse(std::string_view text) const {
        const std::optional<Enum> value = find(text);
        if (!value) {
            throw std::invalid_argument(not_one_of(text));
        }
        return *value;
    }

    // Every spelling in table order, each between `quote`s, joined by ", ": "'a', 'b', 'c'".
    std::string list(std::string_view quote = "'") const {
        std::string out;
        for (const EnumName<Enum>& e : entries) {
            out.append(out.empty() ? "" : ", ").append(quote).append(e.text).append(quote);
        }
        return out;
    }

    // parse()'s message for unknown `text`: "'x' is not one of 'a', 'b', 'c'".
    std::string not_one_of(std::string_view text) const {
        return "'" + std::string(text) + "' is not one of " + list();
    }
};

namespace enum_names_detail {

template <typename Enum, size_t N>
constexpr void fill(std::array<EnumName<Enum>, N>& /*out*/, size_t /*i*/) {}

template <typename Enum, size_t N, typename... Rest>
constexpr void fill(std::array<EnumName<Enum>, N>& out, size_t i, Enum value, std::string_view text,
                    Rest... rest) {
    out[i] = EnumName<Enum>{value, text};
    fill(out, i + 1, rest...);
}

}  // namespace enum_names_detail

// enum_names(Enum::kA, "a", Enum::kB, "b"): a table of the (value, spelling) pairs given in
// turn. Flat arguments keep a table to a few lines (clang-format packs arguments, not braces).
template <typename Enum, typename... Rest>
constexpr auto enum_names(Enum value, std::string_view text, Rest... rest) {
    static_assert(std::is_enum_v<Enum>, "enum_names: the first argument is an enum value");
    static_assert(sizeof...(Rest) % 2 == 0, "enum_names: arguments come in (value, text) pairs");
    EnumNames<Enum, 1 + sizeof...(Rest) / 2> out;
    enum_names_detail::fill(out.entries, 0, value, text, rest...);
    return out;
}

}  // namespace statetrack::core
