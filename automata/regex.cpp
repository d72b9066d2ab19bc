// Regex -> NFA -> minimal DFA. See regex.h.
#include "automata/regex.h"

#include <fmt/format.h>

#include <stdexcept>

#include "automata/dfa_minimize.h"
#include "automata/thompson.h"

namespace statetrack::automata {
namespace {

Alphabet alphabet_of(const RegexNode& root, std::string_view pattern) {
    const std::string chars = regex_literal_chars(root);
    if (chars.empty()) {
        throw RegexError(pattern, RegexError::kNoPosition,
                         "cannot infer an alphabet: the regex names no characters; give the "
                         "alphabet explicitly");
    }
    return Alphabet::from_chars(chars);
}

}  // namespace

Alphabet infer_regex_alphabet(std::string_view pattern) {
    return alphabet_of(parse_regex(pattern), pattern);
}

Nfa regex_to_nfa(std::string_view pattern, std::optional<Alphabet> alphabet) {
    const RegexNode root = parse_regex(pattern);
    return thompson_nfa(root, alphabet ? *alphabet : alphabet_of(root, pattern), pattern);
}

Dfa regex_to_dfa(std::string_view pattern, std::optional<Alphabet> alphabet, size_t max_states,
                 size_t max_work) {
    const Nfa nfa = regex_to_nfa(pattern, std::move(alphabet));
    const Dfa subsets = [&] {
        try {
            return determinize(nfa, max_states, max_work);
        } catch (const std::runtime_error& e) {  // the state cap: report it as a regex problem
            throw RegexError(pattern, RegexError::kNoPosition,
                             fmt::format("{}; simplify the regex", e.what()));
        }
    }();
    return minimize(subsets);
}

}  // namespace statetrack::automata
