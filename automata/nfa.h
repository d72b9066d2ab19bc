// Nfa: a nondeterministic finite automaton with epsilon moves over a named Alphabet, stored on a
// Boost.Graph adjacency list whose edge property is the symbol (kEpsilon for an epsilon move).
// Contract: one start state; states are 0..num_states()-1 in creation order. An Nfa is the
// intermediate form of regex compilation (Thompson) and is turned into a complete Dfa by
// determinize() (subset construction; the empty subset becomes a non-accepting sink).
#pragma once

#include <boost/graph/adjacency_list.hpp>
#include <cstddef>
#include <vector>

#include "automata/alphabet.h"
#include "automata/dfa.h"

namespace statetrack::automata {

inline constexpr Symbol kEpsilon = -1;
// Subset construction can blow up exponentially ((a|b)*a(a|b){n} needs 2^(n+1) states); past
// this many DFA states it stops with an error instead of exhausting memory.
inline constexpr size_t kDefaultMaxDfaStates = 200'000;
// Few DFA states can still cost much when each subset holds thousands of NFA states (nested
// counted repetitions, "(a{2,52}|b){2,52}"): the construction also stops past this many NFA
// states visited over all subsets (about a second here).
inline constexpr size_t kMaxSubsetWork = 30'000'000;

struct NfaEdge {
    Symbol symbol = kEpsilon;
};

class Nfa {
  public:
    using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS,
                                        boost::no_property, NfaEdge>;

    explicit Nfa(Alphabet alphabet);

    // Returns the new state's index. The first state added is the start state until
    // set_start() says otherwise.
    State add_state(bool accepting = false);
    // Throws std::invalid_argument on an unknown state or a symbol outside the alphabet.
    void add_transition(State from, Symbol symbol, State to);
    void add_epsilon(State from, State to);
    void set_start(State q);
    void set_accepting(State q, bool accepting = true);

    const Alphabet& alphabet() const { return alphabet_; }
    State num_states() const { return static_cast<State>(accepting_.size()); }
    State start() const { return start_; }
    bool is_accepting(State q) const { return accepting_[static_cast<size_t>(q)]; }
    const Graph& graph() const { return graph_; }

    // Epsilon closure of `states` (sorted, without duplicates).
    std::vector<State> epsilon_closure(std::vector<State> states) const;
    // Direct set simulation, no determinisation: the reference that subset construction is
    // tested against.
    bool accepts(const Word& word) const;

  private:
    void check_state(State q, const char* what) const;

    Alphabet alphabet_;
    std::vector<bool> accepting_;
    State start_ = 0;
    Graph graph_;
};

// Subset construction from the epsilon closure of the start state, symbols in alphabet order;
// only reachable subsets become states (DFA state 0 is the start). Throws std::runtime_error
// when more than max_states subsets are reached or max_work NFA-state visits are passed,
// std::invalid_argument on an NFA without states.
Dfa determinize(const Nfa& nfa, size_t max_states = kDefaultMaxDfaStates,
                size_t max_work = kMaxSubsetWork);

}  // namespace statetrack::automata
