// Hopcroft minimisation with canonical numbering.
// Contract: minimize(d) accepts the same language as d, has no unreachable states and no two
// equivalent states (so it is the unique minimal complete DFA), and numbers its states in BFS
// order from the start (start = 0, symbols tried in alphabet order). Two DFAs over the same
// alphabet therefore accept the same language iff their minimisations have identical tables
// and accept sets. Minimised states are named "0", "1", ...; the alphabet is kept.
// Cost: O(k n log n) for n states and k symbols.
#pragma once

#include "automata/dfa.h"

namespace statetrack::automata {

Dfa minimize(const Dfa& dfa);

}  // namespace statetrack::automata
