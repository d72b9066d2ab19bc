// Thompson construction. See thompson.h for the contract.
#include "automata/thompson.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>

namespace statetrack::automata {
namespace {

struct Fragment {
    State start = 0;
    State end = 0;
};

// NFA states the construction below will create for `node`, saturating at cap + 1; throws
// at the innermost node whose expansion passes the cap, so the message points at the culprit.
size_t expanded_size(const RegexNode& node, std::string_view pattern) {
    constexpr size_t cap = kMaxNfaStates;
    size_t total = 0;
    for (const RegexNode& child : node.children) {
        total = std::min(total + expanded_size(child, pattern), cap + 1);
    }
    switch (node.kind) {
        case RegexNode::Kind::kEmpty:
        case RegexNode::Kind::kChars:
            total = 2;
            break;
        case RegexNode::Kind::kConcat:
            break;
        case RegexNode::Kind::kAlternation:
            total += 2;
            break;
        case RegexNode::Kind::kRepeat: {
            const auto copies =
                static_cast<size_t>(node.max == kUnbounded ? node.min + 1 : node.max);
            total = copies > 0 && total > cap / copies ? cap + 1 : total * copies + 2;
            break;
        }
    }
    if (total > cap) {
        throw RegexError(pattern, node.position,
                         fmt::format("regex expands to more than {} NFA states at position {} "
                                     "(counted repetitions multiply); use smaller counts",
                                     cap, node.position));
    }
    return total;
}

class Builder {
  public:
    Builder(Nfa& nfa, std::string_view pattern)
        : alphabet_(nfa.alphabet()), pattern_(pattern), nfa_(nfa) {
        const Alphabet& alphabet = nfa.alphabet();
        symbol_of_.fill(-1);
        for (Symbol s = 0; static_cast<size_t>(s) < alphabet.size(); ++s) {
            const std::string& name = alphabet.name(s);
            if (name.size() != 1) {
                throw RegexError(pattern, RegexError::kNoPosition,
                                 fmt::format("alphabet symbol '{}' is not a single character; "
                                             "regexes need a single-character alphabet",
                                             name));
            }
            symbol_of_[static_cast<unsigned char>(name[0])] = s;
        }
    }

    void run(const RegexNode& root) {
        const Fragment f = build(root);
        nfa_.set_start(f.start);
        nfa_.set_accepting(f.end);
    }

  private:
    Fragment fresh() { return {nfa_.add_state(), nfa_.add_state()}; }

    Fragment build(const RegexNode& node) {
        switch (node.kind) {
            case RegexNode::Kind::kEmpty: {
                const Fragment f = fresh();
                nfa_.add_epsilon(f.start, f.end);
                return f;
            }
            case RegexNode::Kind::kChars: {
                const Fragment f = fresh();
                const std::vector<bool> members = resolve(node.chars);
                for (size_t s = 0; s < members.size(); ++s) {
                    if (members[s]) {
                        nfa_.add_transition(f.start, static_cast<Symbol>(s), f.end);
                    }
                }
                return f;
            }
            case RegexNode::Kind::kConcat: {
                Fragment f = build(node.children.front());
                for (size_t i = 1; i < node.children.size(); ++i) {
                    const Fragment g = build(node.children[i]);
                    nfa_.add_epsilon(f.end, g.start);
                    f.end = g.end;
                }
                return f;
            }
            case RegexNode::Kind::kAlternation: {
                const Fragment f = fresh();
                for (const RegexNode& child : node.children) {
                    const Fragment g = build(child);
                    nfa_.add_epsilon(f.start, g.start);
                    nfa_.add_epsilon(g.end, f.end);
                }
                return f;
            }
            case RegexNode::Kind::kRepeat:
                return repeat(node);
        }
        throw std::logic_error("thompson: unknown regex node kind");
    }

    // x{min,max}: min mandatory copies, then either a star loop (max unbounded) or max-min
    // optional copies, each of which may skip straight to the exit.
    Fragment repeat(const RegexNode& node) {
        const RegexNode& child = node.children.front();
        const State start = nfa_.add_state();
        State cur = start;
        for (int i = 0; i < node.min; ++i) {
            const Fragment g = build(child);
            nfa_.add_epsilon(cur, g.start);
            cur = g.end;
        }
        const State end = nfa_.add_state();
        if (node.max == kUnbounded) {
            const Fragment g = build(child);
            nfa_.add_epsilon(cur, g.start);
            nfa_.add_epsilon(g.end, g.start);
            nfa_.add_epsilon(g.end, end);
        } else {
            for (int i = node.min; i < node.max; ++i) {
                nfa_.add_epsilon(cur, end);
                const Fragment g = build(child);
                nfa_.add_epsilon(cur, g.start);
                cur = g.end;
            }
        }
        nfa_.add_epsilon(cur, end);
        return {start, end};
    }

    std::vector<bool> resolve(const CharSet& set) const {
        std::vector<bool> members(alphabet_.size(), set.any);
        for (const CharItem& item : set.items) {
            if (!item.is_range) {
                const Symbol s = symbol_of_[static_cast<unsigned char>(item.lo)];
                if (s < 0) {
                    throw RegexError(
                        pattern_, item.position,
                        fmt::format("symbol '{}' at position {} is not in the "
                                    "alphabet [{}]",
                                    item.lo, item.position, fmt::join(alphabet_.names(), ", ")));
                }
                members[static_cast<size_t>(s)] = true;
                continue;
            }
            for (Symbol s = 0; static_cast<size_t>(s) < alphabet_.size(); ++s) {
                const char c = alphabet_.name(s)[0];
                if (c >= item.lo && c <= item.hi) {
                    members[static_cast<size_t>(s)] = true;
                }
            }
        }
        if (set.negated) {
            members.flip();
        }
        return members;
    }

    const Alphabet& alphabet_;
    std::string_view pattern_;
    Nfa& nfa_;
    std::array<Symbol, 256> symbol_of_{};
};

}  // namespace

Nfa thompson_nfa(const RegexNode& root, const Alphabet& alphabet, std::string_view pattern) {
    expanded_size(root, pattern);
    Nfa nfa(alphabet);
    Builder(nfa, pattern).run(root);
    return nfa;
}

}  // namespace statetrack::automata
