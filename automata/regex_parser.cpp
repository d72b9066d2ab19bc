// Recursive-descent regex parser. See regex_parser.h for the syntax and the error contract.
// Grammar: alternation := concat ('|' concat)* ; concat := repeat* ;
//          repeat := atom quantifier? ; atom := char | '.' | class | '(' alternation ')'.
#include "automata/regex_parser.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <tuple>

namespace statetrack::automata {
namespace {

bool printable(char c) { return c >= 0x20 && c <= 0x7e; }

// The pattern as shown in messages: non-printable bytes escaped so the message stays one line.
std::string displayable(std::string_view pattern) {
    std::string out;
    for (char c : pattern) {
        out += printable(c) ? std::string(1, c)
                            : fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
    }
    return out;
}

// A long pattern is named by its start and length: the error line stays one readable line.
std::string excerpt(std::string_view pattern) {
    constexpr size_t kShown = 80;
    if (pattern.size() <= kShown) {
        return "'" + displayable(pattern) + "'";
    }
    return fmt::format("'{}...' ({} characters)", displayable(pattern.substr(0, kShown)),
                       pattern.size());
}

bool is_quantifier(char c) { return c == '*' || c == '+' || c == '?' || c == '{'; }

class Parser {
  public:
    explicit Parser(std::string_view pattern) : p_(pattern) {}

    RegexNode parse() {
        RegexNode root = alternation();
        if (!eof()) {  // alternation() only stops early at a ')' it did not open
            fail(pos_, fmt::format("unmatched ')' at position {}", pos_));
        }
        return root;
    }

  private:
    [[noreturn]] void fail(size_t position, const std::string& problem) const {
        throw RegexError(p_, position, problem);
    }
    bool eof() const { return pos_ >= p_.size(); }
    char peek() const { return p_[pos_]; }

    RegexNode alternation() {
        const size_t start = pos_;
        std::vector<RegexNode> alternatives{concat()};
        while (!eof() && peek() == '|') {
            ++pos_;
            alternatives.push_back(concat());
        }
        return wrap(RegexNode::Kind::kAlternation, std::move(alternatives), start);
    }

    RegexNode concat() {
        const size_t start = pos_;
        std::vector<RegexNode> items;
        while (!eof() && peek() != '|' && peek() != ')') {
            items.push_back(repeat());
        }
        return wrap(RegexNode::Kind::kConcat, std::move(items), start);
    }

    static RegexNode wrap(RegexNode::Kind kind, std::vector<RegexNode> items, size_t start) {
        if (items.size() == 1) {
            return std::move(items[0]);
        }
        RegexNode node;
        node.kind = items.empty() ? RegexNode::Kind::kEmpty : kind;
        node.position = start;
        node.children = std::move(items);
        return node;
    }

    RegexNode repeat() {
        RegexNode node = atom();
        if (eof() || !is_quantifier(peek())) {
            return node;
        }
        RegexNode rep;
        rep.kind = RegexNode::Kind::kRepeat;
        rep.position = pos_;
        std::tie(rep.min, rep.max) = quantifier();
        rep.children.push_back(std::move(node));
        if (!eof() && is_quantifier(peek())) {
            fail(pos_, fmt::format("quantifier '{}' at position {} follows another quantifier; "
                                   "use a group, e.g. (a*)?",
                                   peek(), pos_));
        }
        return rep;
    }

    std::pair<int, int> quantifier() {
        const char q = p_[pos_++];
        switch (q) {
            case '*':
                return {0, kUnbounded};
            case '+':
                return {1, kUnbounded};
            case '?':
                return {0, 1};
            default:
                return counted(pos_ - 1);
        }
    }

    // {m}, {m,}, {m,n}; `open` is the position of '{'.
    std::pair<int, int> counted(size_t open) {
        const int min = number(open);
        int max = min;
        if (!eof() && peek() == ',') {
            ++pos_;
            max = (!eof() && peek() == '}') ? kUnbounded : number(open);
        }
        if (eof() || peek() != '}') {
            fail(open, fmt::format("malformed repetition at position {}: expected {{m}}, {{m,}} "
                                   "or {{m,n}} with decimal m, n",
                                   open));
        }
        ++pos_;
        if (max != kUnbounded && min > max) {
            fail(open,
                 fmt::format("repetition {{{},{}}} at position {} has min > max", min, max, open));
        }
        return {min, max};
    }

    int number(size_t open) {
        const size_t start = pos_;
        long value = 0;
        while (!eof() && std::isdigit(static_cast<unsigned char>(peek()))) {
            value = std::min<long>(value * 10 + (peek() - '0'), kMaxRepeat + 1L);
            ++pos_;
        }
        if (pos_ == start) {
            fail(open, fmt::format("malformed repetition at position {}: expected {{m}}, {{m,}} "
                                   "or {{m,n}} with decimal m, n",
                                   open));
        }
        if (value > kMaxRepeat) {
            fail(start, fmt::format("repetition count {} at position {} exceeds the limit {}",
                                    p_.substr(start, pos_ - start), start, kMaxRepeat));
        }
        return static_cast<int>(value);
    }

    RegexNode atom() {
        const size_t at = pos_;
        const char c = peek();
        if (c == '(') {
            return group();
        }
        if (c == '[') {
            return char_class();
        }
        RegexNode node;
        node.kind = RegexNode::Kind::kChars;
        node.position = at;
        if (c == '.') {
            ++pos_;
            node.chars.any = true;
            return node;
        }
        if (is_quantifier(c)) {
            fail(at, fmt::format("'{}' at position {} has nothing to repeat", c, at));
        }
        if (c == ']' || c == '}') {
            fail(at,
                 fmt::format("unescaped '{}' at position {} (write \\{} for a literal)", c, at, c));
        }
        if (c == '^' || c == '$') {
            fail(at, fmt::format("anchor '{}' at position {} is not supported (a regex always "
                                 "matches the whole string; write \\{} for a literal)",
                                 c, at, c));
        }
        node.chars.items.push_back(CharItem{literal(), 0, false, at});
        node.chars.items.back().hi = node.chars.items.back().lo;
        return node;
    }

    // One literal character, plain or escaped; used outside and inside classes.
    char literal() {
        const size_t at = pos_;
        const char c = p_[pos_++];
        if (!printable(c)) {
            fail(at, fmt::format("character 0x{:02x} at position {} is not printable ASCII",
                                 static_cast<unsigned char>(c), at));
        }
        if (c != '\\') {
            return c;
        }
        if (eof()) {
            fail(at, fmt::format("trailing '\\' at position {} escapes nothing", at));
        }
        const char e = p_[pos_++];
        if (!printable(e) || std::isalnum(static_cast<unsigned char>(e)) || e == ' ') {
            fail(at, fmt::format("unknown escape '\\{}' at position {} (only punctuation can be "
                                 "escaped, e.g. \\. \\* \\\\ \\( \\[)",
                                 displayable(std::string_view(&e, 1)), at));
        }
        return e;
    }

    RegexNode group() {
        const size_t open = pos_++;
        if (++depth_ > kMaxGroupDepth) {
            fail(open,
                 fmt::format("groups nested deeper than {} at position {}", kMaxGroupDepth, open));
        }
        RegexNode inner = alternation();
        if (eof()) {
            fail(open, fmt::format("unclosed '(' opened at position {}", open));
        }
        ++pos_;  // the ')' that alternation() stopped at
        --depth_;
        return inner;
    }

    RegexNode char_class() {
        const size_t open = pos_++;
        RegexNode node;
        node.kind = RegexNode::Kind::kChars;
        node.position = open;
        if (!eof() && peek() == '^') {
            node.chars.negated = true;
            ++pos_;
        }
        if (!eof() && peek() == ']') {
            fail(open, fmt::format("empty character class at position {}", open));
        }
        while (!eof() && peek() != ']') {
            node.chars.items.push_back(class_item());
        }
        if (eof()) {
            fail(open, fmt::format("unclosed '[' opened at position {}", open));
        }
        ++pos_;
        return node;
    }

    CharItem class_item() {
        CharItem item;
        item.position = pos_;
        item.lo = item.hi = literal();
        const bool range = pos_ + 1 < p_.size() && peek() == '-' && p_[pos_ + 1] != ']';
        if (range) {
            ++pos_;
            item.hi = literal();
            item.is_range = true;
            if (item.hi < item.lo) {
                fail(item.position, fmt::format("reversed range '{}-{}' at position {} in a "
                                                "character class",
                                                item.lo, item.hi, item.position));
            }
        }
        return item;
    }

    std::string_view p_;
    size_t pos_ = 0;
    int depth_ = 0;
};

void collect_chars(const RegexNode& node, std::string& out) {
    for (const CharItem& item : node.chars.items) {
        for (int c = item.lo; c <= item.hi; ++c) {
            out += static_cast<char>(c);
        }
    }
    for (const RegexNode& child : node.children) {
        collect_chars(child, out);
    }
}

}  // namespace

RegexError::RegexError(std::string_view pattern, size_t position, const std::string& problem)
    : std::invalid_argument(fmt::format("regex {}: {}", excerpt(pattern), problem)),
      position_(position) {}

RegexNode parse_regex(std::string_view pattern) { return Parser(pattern).parse(); }

std::string regex_literal_chars(const RegexNode& root) {
    std::string chars;
    collect_chars(root, chars);
    std::sort(chars.begin(), chars.end());
    chars.erase(std::unique(chars.begin(), chars.end()), chars.end());
    return chars;
}

}  // namespace statetrack::automata
