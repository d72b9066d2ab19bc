// Regex -> automaton, the top-level entry points: parse (regex_parser.h), Thompson construction
// (thompson.h), subset construction (nfa.h), Hopcroft minimisation (dfa_minimize.h).
// Alphabet: the one given, or else the sorted set of characters the pattern names (literals,
// class members and ranges). '.' and [^...] range over that alphabet only.
// All input errors are RegexError (a std::invalid_argument) with a one-line message.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "automata/alphabet.h"
#include "automata/dfa.h"
#include "automata/nfa.h"
#include "automata/regex_parser.h"

namespace statetrack::automata {

// The inferred alphabet; throws RegexError when the pattern names no character at all.
Alphabet infer_regex_alphabet(std::string_view pattern);

Nfa regex_to_nfa(std::string_view pattern, std::optional<Alphabet> alphabet = {});

// The minimal complete DFA, canonically numbered (equal languages give identical tables).
// Throws RegexError also when the subset construction passes max_states or max_work
// (determinize, nfa.h).
Dfa regex_to_dfa(std::string_view pattern, std::optional<Alphabet> alphabet = {},
                 size_t max_states = kDefaultMaxDfaStates, size_t max_work = kMaxSubsetWork);

}  // namespace statetrack::automata
