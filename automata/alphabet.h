// Alphabet: an ordered list of named symbols. A Symbol is an index into it.
// Regex alphabets are single characters ("a", "b"); group alphabets are element or generator
// names ("(1 2)", "e"). Words are vectors of symbol indices; names appear only at the edges
// (parsing user input, printing).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace statetrack::automata {

using Symbol = int32_t;
using Word = std::vector<Symbol>;

class Alphabet {
public:
    Alphabet() = default;
    // Throws std::invalid_argument on an empty or duplicate name.
    explicit Alphabet(std::vector<std::string> names);
    // One symbol per character of `chars`, in order ("ab" -> {"a", "b"}).
    static Alphabet from_chars(std::string_view chars);

    size_t size() const { return names_.size(); }
    const std::string& name(Symbol s) const;
    const std::vector<std::string>& names() const { return names_; }
    std::optional<Symbol> find(std::string_view name) const;
    // Like find(), but throws std::invalid_argument naming the valid symbols.
    Symbol index(std::string_view name) const;
    // True when every symbol is a single character: words are then written as plain strings.
    bool single_char() const { return single_char_; }

    // Parses a word: character by character for single-char alphabets, otherwise names
    // separated by spaces or commas. Throws std::invalid_argument naming the unknown symbol.
    Word parse_word(std::string_view text) const;
    std::string format_word(const Word& word) const;

    bool operator==(const Alphabet& other) const { return names_ == other.names_; }
    bool operator!=(const Alphabet& other) const { return !(*this == other); }

private:
    std::vector<std::string> names_;
    std::unordered_map<std::string, Symbol> index_;
    bool single_char_ = true;
};

}  // namespace statetrack::automata
