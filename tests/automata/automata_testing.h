// Shared helpers for the automata tests: brute-force word enumeration, random DFAs, random
// regex text, a DFA identity check, and the message of an expected std::invalid_argument. These
// are the independent references the tests compare the library against, so they use the
// simplest possible algorithms.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "automata/dfa.h"
#include "automata/random.h"
#include "testing/error_of.h"

namespace statetrack::automata::testing {

// All words of exactly `length` symbols over k symbols, in lexicographic order.
inline std::vector<Word> all_words(size_t k, size_t length) {
    std::vector<Word> words{Word{}};
    for (size_t i = 0; i < length; ++i) {
        std::vector<Word> longer;
        for (const Word& w : words) {
            for (Symbol s = 0; static_cast<size_t>(s) < k; ++s) {
                longer.push_back(w);
                longer.back().push_back(s);
            }
        }
        words = std::move(longer);
    }
    return words;
}

// All words of length 0..max_length, in shortlex order.
inline std::vector<Word> words_up_to(size_t k, size_t max_length) {
    std::vector<Word> out;
    for (size_t len = 0; len <= max_length; ++len) {
        for (Word& w : all_words(k, len)) {
            out.push_back(std::move(w));
        }
    }
    return out;
}

inline Alphabet letters(size_t k) {
    return Alphabet::from_chars(std::string("abcdefgh").substr(0, k));
}

// Uniform random complete DFA; each state accepting with probability 1/3.
inline Dfa random_dfa(Rng& rng, State n, size_t k) {
    std::vector<State> table;
    std::vector<bool> accepting;
    for (State q = 0; q < n; ++q) {
        accepting.push_back(bernoulli(rng, 1, 3));
        for (size_t s = 0; s < k; ++s) {
            table.push_back(static_cast<State>(uniform_below(rng, static_cast<uint64_t>(n))));
        }
    }
    return Dfa(letters(k), n, static_cast<State>(uniform_below(rng, static_cast<uint64_t>(n))),
               std::move(accepting), std::move(table));
}

// random_dfa with 1..max_states states over 1..max_letters letters, for the property tests
// that sweep DFA sizes; draws the letter count first, then the state count.
inline Dfa random_dfa_up_to(Rng& rng, State max_states, size_t max_letters) {
    const size_t k = 1 + uniform_below(rng, max_letters);
    const auto n = static_cast<State>(1 + uniform_below(rng, static_cast<uint64_t>(max_states)));
    return random_dfa(rng, n, k);
}

// The message of the std::invalid_argument `f` throws, or "(no error)" (testing/error_of.h).
template <typename F>
std::string error_of(F&& f) {
    return statetrack::testing::error_of<std::invalid_argument>(std::forward<F>(f));
}

inline bool same_dfa(const Dfa& a, const Dfa& b) {
    return a.alphabet() == b.alphabet() && a.num_states() == b.num_states() &&
           a.start() == b.start() && a.accepting() == b.accepting() && a.table() == b.table();
}

// Random regex text over `chars` that std::regex (ECMAScript) reads with the same meaning:
// every quantified operand is a single atom or a parenthesised group. A group that can match
// the empty word never gets * or + (std::regex backtracks exponentially on "((b?)*)*"; the
// hand-written tests cover such patterns on short words).
class RandomRegex {
  public:
    RandomRegex(Rng& rng, std::string chars) : rng_(rng), chars_(std::move(chars)) {}

    std::string operator()(int depth) { return piece(depth).text; }

  private:
    struct Piece {
        std::string text;
        bool nullable = false;
    };

    Piece piece(int depth) {
        if (depth == 0) {
            return {atom(), false};
        }
        switch (uniform_below(rng_, 6)) {
            case 0:
                return {atom(), false};
            case 1:
                return concat({piece(depth - 1), piece(depth - 1)});
            case 2:
                return concat({piece(depth - 1), piece(depth - 1), piece(depth - 1)});
            case 3: {
                const Piece x = alternative(depth - 1);
                const Piece y = alternative(depth - 1);
                return {"(" + x.text + "|" + y.text + ")", x.nullable || y.nullable};
            }
            case 4: {
                const Piece x = piece(depth - 1);
                return quantified("(" + x.text + ")", x.nullable);
            }
            default:
                return quantified(atom(), false);
        }
    }

    static Piece concat(const std::vector<Piece>& parts) {
        Piece out{"", true};
        for (const Piece& p : parts) {
            out.text += p.text;
            out.nullable = out.nullable && p.nullable;
        }
        return out;
    }

    Piece alternative(int depth) { return bernoulli(rng_, 1, 6) ? Piece{"", true} : piece(depth); }

    char letter() { return chars_[uniform_below(rng_, chars_.size())]; }

    std::string atom() {
        switch (uniform_below(rng_, 10)) {
            case 0:
                return ".";
            case 1:
                return std::string("[") + letter() + letter() + "]";
            case 2:
                return std::string("[^") + letter() + "]";
            case 3:
                return std::string("[") + chars_.front() + "-" + chars_[1] + "]";
            default:
                return std::string(1, letter());
        }
    }

    Piece quantified(const std::string& operand, bool nullable) {
        const int m = static_cast<int>(uniform_below(rng_, 3));
        const int n = m + static_cast<int>(uniform_below(rng_, 3));
        switch (uniform_below(rng_, nullable ? 3 : 6)) {
            case 0:
                return {operand + "?", true};
            case 1:
                return {operand + "{" + std::to_string(m) + "}", nullable || m == 0};
            case 2:
                return {operand + "{" + std::to_string(m) + "," + std::to_string(n) + "}",
                        nullable || m == 0};
            case 3:
                return {operand + "*", true};
            case 4:
                return {operand + "+", false};
            default:
                return {operand + "{" + std::to_string(m) + ",}", m == 0};
        }
    }

    Rng& rng_;
    std::string chars_;
};

}  // namespace statetrack::automata::testing
