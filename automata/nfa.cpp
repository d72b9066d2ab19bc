// Nfa building, simulation and subset construction. See nfa.h for the contract.
#include "automata/nfa.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>
#include <unordered_map>

namespace statetrack::automata {
namespace {

// The NFA's edges flattened into compressed rows once, so that the subset construction's inner
// loops scan contiguous arrays instead of Boost's per-vertex edge lists.
struct FlatNfa {
    std::vector<size_t> eps_begin;  // row q: eps[eps_begin[q] .. eps_begin[q+1])
    std::vector<State> eps;
    std::vector<size_t> sym_begin;              // row q: sym[sym_begin[q] .. sym_begin[q+1])
    std::vector<std::pair<Symbol, State>> sym;  // (symbol, target)

    explicit FlatNfa(const Nfa& nfa) {
        const auto& g = nfa.graph();
        for (State q = 0; q < nfa.num_states(); ++q) {
            eps_begin.push_back(eps.size());
            sym_begin.push_back(sym.size());
            for (auto [it, end] = boost::out_edges(static_cast<size_t>(q), g); it != end; ++it) {
                const Symbol s = g[*it].symbol;
                const auto to = static_cast<State>(boost::target(*it, g));
                if (s == kEpsilon) {
                    eps.push_back(to);
                } else {
                    sym.emplace_back(s, to);
                }
            }
        }
        eps_begin.push_back(eps.size());
        sym_begin.push_back(sym.size());
    }
};

// Extends `set` to its epsilon closure, sorted. `stamp`/`epoch` make "visited" O(1) to reset.
void close_in_place(const FlatNfa& flat, std::vector<State>& set, std::vector<uint32_t>& stamp,
                    uint32_t epoch) {
    std::vector<State> stack;
    std::vector<State> out;
    for (State q : set) {
        if (stamp[static_cast<size_t>(q)] != epoch) {
            stamp[static_cast<size_t>(q)] = epoch;
            stack.push_back(q);
        }
    }
    while (!stack.empty()) {
        const State q = stack.back();
        stack.pop_back();
        out.push_back(q);
        const auto row = static_cast<size_t>(q);
        for (size_t i = flat.eps_begin[row]; i < flat.eps_begin[row + 1]; ++i) {
            const State to = flat.eps[i];
            if (stamp[static_cast<size_t>(to)] != epoch) {
                stamp[static_cast<size_t>(to)] = epoch;
                stack.push_back(to);
            }
        }
    }
    std::sort(out.begin(), out.end());
    set = std::move(out);
}

struct SubsetHash {
    size_t operator()(const std::vector<State>& set) const {
        uint64_t h = 0x9E3779B97F4A7C15ULL ^ set.size();
        for (State q : set) {
            h ^= static_cast<uint64_t>(q) + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
        }
        return static_cast<size_t>(h);
    }
};

}  // namespace

Nfa::Nfa(Alphabet alphabet) : alphabet_(std::move(alphabet)) {}

State Nfa::add_state(bool accepting) {
    accepting_.push_back(accepting);
    return static_cast<State>(boost::add_vertex(graph_));
}

void Nfa::check_state(State q, const char* what) const {
    if (q < 0 || q >= num_states()) {
        throw std::invalid_argument(
            fmt::format("nfa: {} state {} out of range [0, {})", what, q, num_states()));
    }
}

void Nfa::add_transition(State from, Symbol symbol, State to) {
    check_state(from, "source");
    check_state(to, "target");
    if (symbol < 0 || static_cast<size_t>(symbol) >= alphabet_.size()) {
        throw std::invalid_argument(fmt::format(
            "nfa: symbol index {} out of range [0, {}) (use add_epsilon for epsilon moves)", symbol,
            alphabet_.size()));
    }
    boost::add_edge(static_cast<size_t>(from), static_cast<size_t>(to), NfaEdge{symbol}, graph_);
}

void Nfa::add_epsilon(State from, State to) {
    check_state(from, "source");
    check_state(to, "target");
    boost::add_edge(static_cast<size_t>(from), static_cast<size_t>(to), NfaEdge{kEpsilon}, graph_);
}

void Nfa::set_start(State q) {
    check_state(q, "start");
    start_ = q;
}

void Nfa::set_accepting(State q, bool accepting) {
    check_state(q, "accepting");
    accepting_[static_cast<size_t>(q)] = accepting;
}

std::vector<State> Nfa::epsilon_closure(std::vector<State> states) const {
    for (State q : states) {
        check_state(q, "closure");
    }
    std::vector<uint32_t> stamp(static_cast<size_t>(num_states()), 0);
    close_in_place(FlatNfa(*this), states, stamp, 1);
    return states;
}

bool Nfa::accepts(const Word& word) const {
    if (num_states() == 0) {
        return false;
    }
    std::vector<State> current = epsilon_closure({start_});
    for (Symbol s : word) {
        std::vector<State> next;
        for (State q : current) {
            for (auto [it, end] = boost::out_edges(static_cast<size_t>(q), graph_); it != end;
                 ++it) {
                if (graph_[*it].symbol == s) {
                    next.push_back(static_cast<State>(boost::target(*it, graph_)));
                }
            }
        }
        current = epsilon_closure(std::move(next));
    }
    return std::any_of(current.begin(), current.end(), [&](State q) { return is_accepting(q); });
}

Dfa determinize(const Nfa& nfa, size_t max_states, size_t max_work) {
    if (nfa.num_states() == 0) {
        throw std::invalid_argument("determinize: the nfa has no states");
    }
    const FlatNfa flat(nfa);
    const size_t k = nfa.alphabet().size();
    std::vector<uint32_t> stamp(static_cast<size_t>(nfa.num_states()), 0);
    uint32_t epoch = 0;

    std::vector<std::vector<State>> subsets;
    std::unordered_map<std::vector<State>, State, SubsetHash> index;
    size_t work = 0;  // NFA states over all closures computed so far
    auto intern = [&](std::vector<State> set) {
        close_in_place(flat, set, stamp, ++epoch);
        work += set.size();
        if (work > max_work) {
            throw std::runtime_error(fmt::format(
                "subset construction: over {:.0e} NFA-state visits after {} DFA states; the "
                "automaton is too large",
                static_cast<double>(max_work), subsets.size()));
        }
        auto [it, fresh] = index.emplace(set, static_cast<State>(subsets.size()));
        if (fresh) {
            if (subsets.size() >= max_states) {
                throw std::runtime_error(fmt::format(
                    "subset construction: more than {} DFA states; the automaton is too large",
                    max_states));
            }
            subsets.push_back(std::move(set));
        }
        return it->second;
    };

    intern({nfa.start()});
    std::vector<State> table;
    std::vector<bool> accepting;
    std::vector<std::vector<State>> buckets(k);
    // subsets grows while we scan it: every new subset is processed in turn (BFS order).
    for (size_t d = 0; d < subsets.size(); ++d) {
        for (auto& b : buckets) {
            b.clear();
        }
        bool accept = false;
        for (State q : subsets[d]) {
            accept = accept || nfa.is_accepting(q);
            const auto row = static_cast<size_t>(q);
            for (size_t i = flat.sym_begin[row]; i < flat.sym_begin[row + 1]; ++i) {
                buckets[static_cast<size_t>(flat.sym[i].first)].push_back(flat.sym[i].second);
            }
        }
        accepting.push_back(accept);
        for (size_t s = 0; s < k; ++s) {
            table.push_back(intern(buckets[s]));
        }
    }
    return Dfa(nfa.alphabet(), static_cast<State>(subsets.size()), 0, std::move(accepting),
               std::move(table));
}

}  // namespace statetrack::automata
