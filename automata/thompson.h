// Thompson construction: a parsed regex (RegexNode) -> an epsilon-NFA over a single-character
// alphabet. Every fragment has one entry and one exit state; counted repetitions are unrolled
// (x{2,4} = x x (x (x)?)?), so the NFA size is bounded up front (kMaxNfaStates) rather than
// discovered by running out of memory.
#pragma once

#include <cstddef>
#include <string_view>

#include "automata/alphabet.h"
#include "automata/nfa.h"
#include "automata/regex_parser.h"

namespace statetrack::automata {

inline constexpr size_t kMaxNfaStates = 200'000;

// `pattern` is the text `root` was parsed from; it only feeds error messages. Throws RegexError
// when the alphabet has a multi-character symbol, when a literal (or a single class member) is
// not in the alphabet, or when the unrolled NFA would exceed kMaxNfaStates.
Nfa thompson_nfa(const RegexNode& root, const Alphabet& alphabet, std::string_view pattern);

}  // namespace statetrack::automata
