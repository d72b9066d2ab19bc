// Dfa: a complete deterministic finite automaton over a named Alphabet.
// Contract: states are 0..num_states()-1; every (state, symbol) pair has exactly one successor
// (partial automata are completed with a sink before they become a Dfa). The transition
// function lives twice: a dense table for O(1) stepping (samplers run it billions of times) and
// a Boost.Graph adjacency list (edge property = symbol) for the graph algorithms. Both are built
// once in the constructor and never diverge because a Dfa is immutable.
// A Dfa with no meaningful accept set (a group's Cayley semiautomaton) still has one; callers
// that tag states ignore it.
#pragma once

#include <boost/graph/adjacency_list.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "automata/alphabet.h"

namespace statetrack::automata {

using State = int32_t;

struct DfaEdge {
    Symbol symbol = 0;
};

class Dfa {
public:
    using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS,
                                        boost::no_property, DfaEdge>;

    // table[q * alphabet.size() + s] is the successor of state q on symbol s.
    // state_names may be empty (states are then named "0", "1", ...).
    // Throws std::invalid_argument on any size mismatch or out-of-range entry.
    Dfa(Alphabet alphabet, State num_states, State start, std::vector<bool> accepting,
        std::vector<State> table, std::vector<std::string> state_names = {});

    const Alphabet& alphabet() const { return alphabet_; }
    State num_states() const { return num_states_; }
    State start() const { return start_; }
    bool is_accepting(State q) const { return accepting_[static_cast<size_t>(q)]; }
    const std::vector<bool>& accepting() const { return accepting_; }
    const std::vector<State>& table() const { return table_; }
    const std::string& state_name(State q) const { return state_names_[static_cast<size_t>(q)]; }
    const std::vector<std::string>& state_names() const { return state_names_; }
    const Graph& graph() const { return graph_; }

    State step(State q, Symbol s) const {
        return table_[static_cast<size_t>(q) * alphabet_.size() + static_cast<size_t>(s)];
    }
    State run(const Word& word, State from) const;
    State run(const Word& word) const { return run(word, start_); }
    bool accepts(const Word& word) const { return is_accepting(run(word)); }
    // State after every prefix: result[i] = state after word[0..i].
    std::vector<State> trace(const Word& word) const;

private:
    Alphabet alphabet_;
    State num_states_ = 0;
    State start_ = 0;
    std::vector<bool> accepting_;
    std::vector<State> table_;
    std::vector<std::string> state_names_;
    Graph graph_;
};

}  // namespace statetrack::automata
