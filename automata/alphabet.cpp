// Alphabet: named symbols <-> indices. See alphabet.h.
#include "automata/alphabet.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "core/strict_json.h"

namespace statetrack::automata {

Alphabet::Alphabet(std::vector<std::string> names) : names_(std::move(names)) {
    for (size_t i = 0; i < names_.size(); ++i) {
        const std::string& n = names_[i];
        if (n.empty()) {
            throw std::invalid_argument(fmt::format("alphabet: symbol {} has an empty name", i));
        }
        if (!index_.emplace(n, static_cast<Symbol>(i)).second) {
            throw std::invalid_argument(fmt::format("alphabet: duplicate symbol '{}'", n));
        }
        single_char_ = single_char_ && n.size() == 1;
    }
}

Alphabet Alphabet::from_chars(std::string_view chars) {
    std::vector<std::string> names;
    names.reserve(chars.size());
    for (char c : chars) {
        names.emplace_back(1, c);
    }
    return Alphabet(std::move(names));
}

const std::string& Alphabet::name(Symbol s) const {
    if (s < 0 || static_cast<size_t>(s) >= names_.size()) {
        throw std::out_of_range(
            fmt::format("alphabet: symbol index {} out of range [0, {})", s, names_.size()));
    }
    return names_[static_cast<size_t>(s)];
}

std::optional<Symbol> Alphabet::find(std::string_view name) const {
    auto it = index_.find(std::string(name));
    if (it == index_.end()) {
        return std::nullopt;
    }
    return it->second;
}

Symbol Alphabet::index(std::string_view name) const {
    if (auto s = find(name)) {
        return *s;
    }
    // Quoted escaped (a NUL or a terminal escape in user input must not reach the terminal raw)
    // and bounded: a group's alphabet or a long unknown name stays one short line.
    constexpr size_t kListed = 24;
    const std::vector<std::string> listed(names_.begin(),
                                          names_.begin() + std::min(names_.size(), kListed));
    throw std::invalid_argument(
        fmt::format("unknown symbol '{}' (alphabet: {}{})", core::quote_for_message(name, 40),
                    fmt::join(listed, " "),
                    names_.size() > kListed ? fmt::format(" ... {} symbols", names_.size()) : ""));
}

Word Alphabet::parse_word(std::string_view text) const {
    Word word;
    if (single_char_) {
        for (char c : text) {
            word.push_back(index(std::string_view(&c, 1)));
        }
        return word;
    }
    size_t i = 0;
    while (i < text.size()) {
        if (text[i] == ' ' || text[i] == ',' || text[i] == '\t') {
            ++i;
            continue;
        }
        size_t j = i;
        // Names may contain spaces inside parentheses, e.g. the cycle "(1 2)".
        int depth = 0;
        while (j < text.size() &&
               (depth > 0 || (text[j] != ' ' && text[j] != ',' && text[j] != '\t'))) {
            depth += text[j] == '(' ? 1 : text[j] == ')' ? -1 : 0;
            ++j;
        }
        word.push_back(index(text.substr(i, j - i)));
        i = j;
    }
    return word;
}

std::string Alphabet::format_word(const Word& word) const {
    std::string out;
    for (size_t i = 0; i < word.size(); ++i) {
        if (!single_char_ && i > 0) {
            out += ' ';
        }
        out += name(word[i]);
    }
    return out;
}

}  // namespace statetrack::automata
