// Dfa construction and stepping. See dfa.h for the contract.
#include "automata/dfa.h"

#include <fmt/format.h>

#include <stdexcept>

namespace statetrack::automata {

Dfa::Dfa(Alphabet alphabet, State num_states, State start, std::vector<bool> accepting,
         std::vector<State> table, std::vector<std::string> state_names)
    : alphabet_(std::move(alphabet)),
      num_states_(num_states),
      start_(start),
      accepting_(std::move(accepting)),
      table_(std::move(table)),
      state_names_(std::move(state_names)),
      graph_(static_cast<size_t>(num_states > 0 ? num_states : 0)) {
    const size_t n = static_cast<size_t>(num_states_);
    const size_t k = alphabet_.size();
    if (num_states_ <= 0) {
        throw std::invalid_argument("dfa: needs at least one state");
    }
    if (k == 0) {
        throw std::invalid_argument("dfa: the alphabet is empty");
    }
    if (start_ < 0 || start_ >= num_states_) {
        throw std::invalid_argument(
            fmt::format("dfa: start state {} out of range [0, {})", start_, num_states_));
    }
    if (accepting_.size() != n) {
        throw std::invalid_argument(
            fmt::format("dfa: {} accept flags for {} states", accepting_.size(), n));
    }
    if (table_.size() != n * k) {
        throw std::invalid_argument(fmt::format(
            "dfa: transition table has {} entries, expected {} states x {} symbols", table_.size(),
            n, k));
    }
    if (state_names_.empty()) {
        for (size_t q = 0; q < n; ++q) {
            state_names_.push_back(std::to_string(q));
        }
    } else if (state_names_.size() != n) {
        throw std::invalid_argument(
            fmt::format("dfa: {} state names for {} states", state_names_.size(), n));
    }
    for (size_t q = 0; q < n; ++q) {
        for (size_t s = 0; s < k; ++s) {
            const State to = table_[q * k + s];
            if (to < 0 || to >= num_states_) {
                throw std::invalid_argument(
                    fmt::format("dfa: transition ({}, '{}') goes to {}, outside [0, {})", q,
                                alphabet_.name(static_cast<Symbol>(s)), to, n));
            }
            boost::add_edge(q, static_cast<size_t>(to), DfaEdge{static_cast<Symbol>(s)}, graph_);
        }
    }
}

State Dfa::run(const Word& word, State from) const {
    State q = from;
    for (Symbol s : word) {
        q = step(q, s);
    }
    return q;
}

std::vector<State> Dfa::trace(const Word& word) const {
    std::vector<State> states;
    states.reserve(word.size());
    State q = start_;
    for (Symbol s : word) {
        q = step(q, s);
        states.push_back(q);
    }
    return states;
}

}  // namespace statetrack::automata
