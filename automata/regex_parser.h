// Regex parser: pattern text -> RegexNode syntax tree. Characters are kept as characters here;
// they are resolved against an alphabet when the tree is compiled (thompson.h).
// Syntax (a whole-string match, as std::regex_match):
//   literal characters (printable ASCII except the specials below), '\' + punctuation for a
//   literal special (\. \* \\ \( \[ \{ \| ...), '.' any symbol of the alphabet, classes [abc]
//   [a-c] [^ab] (a leading or trailing '-' is literal), alternation '|' (empty alternatives
//   allowed: "(a|)"), quantifiers * + ? {m} {m,} {m,n} (counts <= kMaxRepeat; at most one per
//   operand: write "(a*)?" rather than "a*?"), groups ( ) (may be empty).
// Errors: RegexError, one line: "regex '<pattern>': <problem naming the 0-based position>".
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace statetrack::automata {

inline constexpr int kMaxRepeat = 1000;     // largest m or n in {m,n}
inline constexpr int kMaxGroupDepth = 200;  // deepest group nesting (bounds recursion)
inline constexpr int kUnbounded = -1;       // RegexNode::max for * + {m,}

class RegexError : public std::invalid_argument {
  public:
    static constexpr size_t kNoPosition = static_cast<size_t>(-1);
    // `problem` already names the position in words ("unclosed '(' opened at position 0").
    RegexError(std::string_view pattern, size_t position, const std::string& problem);
    size_t position() const { return position_; }  // kNoPosition for whole-pattern problems

  private:
    size_t position_;
};

// One member of a character class or a plain literal: the inclusive range lo..hi. A single
// character (is_range false) must belong to the alphabet; a range only selects the alphabet
// symbols inside it.
struct CharItem {
    char lo = 0;
    char hi = 0;
    bool is_range = false;
    size_t position = 0;
};

struct CharSet {
    bool any = false;      // '.'
    bool negated = false;  // [^...]
    std::vector<CharItem> items;
};

struct RegexNode {
    enum class Kind { kEmpty, kChars, kConcat, kAlternation, kRepeat };
    Kind kind = Kind::kEmpty;
    size_t position = 0;              // where the node starts; the quantifier's for kRepeat
    CharSet chars;                    // kChars
    std::vector<RegexNode> children;  // kConcat/kAlternation: operands; kRepeat: one operand
    int min = 0;                      // kRepeat
    int max = 0;                      // kRepeat; kUnbounded for no upper bound
};

// Throws RegexError on malformed input; never crashes (group nesting is bounded).
RegexNode parse_regex(std::string_view pattern);

// The characters the pattern names (literals, class members, every character of a range),
// sorted and unique: the inferred alphabet.
std::string regex_literal_chars(const RegexNode& root);

}  // namespace statetrack::automata
