// Graphviz DOT export of a Dfa, for docs and `statetrack automata dot`.
// Nodes carry the state names; accepting states are doublecircles; an invisible point node
// marks the start; parallel edges are merged into one edge labelled "a,b" (symbols in alphabet
// order). Names are escaped for DOT string literals.
#pragma once

#include <string>
#include <string_view>

#include "automata/dfa.h"

namespace statetrack::automata {

std::string dfa_to_dot(const Dfa& dfa, std::string_view graph_name = "dfa");

}  // namespace statetrack::automata
