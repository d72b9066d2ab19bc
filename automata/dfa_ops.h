// Graph queries on a Dfa: reachability, co-reachability, dead states, strongly connected
// components (Boost.Graph on Dfa::graph()), and shortest accepted / rejected words.
// State lists are sorted ascending. "Shortest" means shortlex-least: shortest, and among the
// shortest the first in lexicographic order of symbol indices, so results are unique.
#pragma once

#include <optional>
#include <vector>

#include "automata/dfa.h"

namespace statetrack::automata {

// States reachable from the start (the start included).
std::vector<State> reachable_states(const Dfa& dfa);
// States from which some accepting state is reachable (accepting states included).
std::vector<State> coreachable_states(const Dfa& dfa);
// States from which no accepting state is reachable: the complement of coreachable_states.
std::vector<State> dead_states(const Dfa& dfa);

struct SccResult {
    // component[q] in [0, count). Boost numbers components in reverse topological order: an
    // edge from component x to a different component y implies y < x, so the sink
    // components come first.
    std::vector<int> component;
    int count = 0;
};
SccResult strongly_connected_components(const Dfa& dfa);

// nullopt when the language is empty (resp. when every word is accepted).
std::optional<Word> shortest_accepted(const Dfa& dfa);
std::optional<Word> shortest_rejected(const Dfa& dfa);

}  // namespace statetrack::automata
