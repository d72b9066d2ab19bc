// Dfa graph queries. See dfa_ops.h for the contract.
#include "automata/dfa_ops.h"

#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/reverse_graph.hpp>
#include <boost/graph/strong_components.hpp>
#include <boost/pending/queue.hpp>

namespace statetrack::automata {
namespace {

// Vertices that a BFS from `sources` reaches in graph g (colour is not white afterwards).
template <typename Graph>
std::vector<State> bfs_reached(const Graph& g, const std::vector<size_t>& sources) {
    const size_t n = boost::num_vertices(g);
    std::vector<boost::default_color_type> color(n, boost::white_color);
    auto color_map =
        boost::make_iterator_property_map(color.begin(), boost::get(boost::vertex_index, g));
    boost::queue<size_t> buffer;
    boost::breadth_first_search(g, sources.begin(), sources.end(), buffer,
                                boost::default_bfs_visitor(), color_map);
    std::vector<State> reached;
    for (size_t v = 0; v < n; ++v) {
        if (color[v] != boost::white_color) {
            reached.push_back(static_cast<State>(v));
        }
    }
    return reached;
}

// Shortlex-least word leading from the start to a state with want(q) true. A BFS that tries
// symbols in order discovers each state first by its shortlex-least word, and states in
// shortlex order of those words, so the first wanted state discovered gives the answer.
template <typename Want>
std::optional<Word> shortest_to(const Dfa& dfa, Want want) {
    const size_t n = static_cast<size_t>(dfa.num_states());
    const auto k = static_cast<Symbol>(dfa.alphabet().size());
    std::vector<State> parent(n, -1);
    std::vector<Symbol> via(n, 0);
    std::vector<bool> seen(n, false);
    std::vector<State> queue{dfa.start()};
    seen[static_cast<size_t>(dfa.start())] = true;
    for (size_t head = 0; head < queue.size(); ++head) {
        State q = queue[head];
        if (want(q)) {
            Word word;
            for (; q != dfa.start(); q = parent[static_cast<size_t>(q)]) {
                word.push_back(via[static_cast<size_t>(q)]);
            }
            return Word(word.rbegin(), word.rend());
        }
        for (Symbol s = 0; s < k; ++s) {
            const State to = dfa.step(q, s);
            if (!seen[static_cast<size_t>(to)]) {
                seen[static_cast<size_t>(to)] = true;
                parent[static_cast<size_t>(to)] = q;
                via[static_cast<size_t>(to)] = s;
                queue.push_back(to);
            }
        }
    }
    return std::nullopt;
}

}  // namespace

std::vector<State> reachable_states(const Dfa& dfa) {
    return bfs_reached(dfa.graph(), {static_cast<size_t>(dfa.start())});
}

std::vector<State> coreachable_states(const Dfa& dfa) {
    std::vector<size_t> accepting;
    for (State q = 0; q < dfa.num_states(); ++q) {
        if (dfa.is_accepting(q)) {
            accepting.push_back(static_cast<size_t>(q));
        }
    }
    return bfs_reached(boost::make_reverse_graph(dfa.graph()), accepting);
}

std::vector<State> dead_states(const Dfa& dfa) {
    std::vector<bool> live(static_cast<size_t>(dfa.num_states()), false);
    for (State q : coreachable_states(dfa)) {
        live[static_cast<size_t>(q)] = true;
    }
    std::vector<State> dead;
    for (State q = 0; q < dfa.num_states(); ++q) {
        if (!live[static_cast<size_t>(q)]) {
            dead.push_back(q);
        }
    }
    return dead;
}

SccResult strongly_connected_components(const Dfa& dfa) {
    const auto& g = dfa.graph();
    SccResult result;
    result.component.assign(boost::num_vertices(g), 0);
    result.count = static_cast<int>(boost::strong_components(
        g, boost::make_iterator_property_map(result.component.begin(),
                                             boost::get(boost::vertex_index, g))));
    return result;
}

std::optional<Word> shortest_accepted(const Dfa& dfa) {
    return shortest_to(dfa, [&](State q) { return dfa.is_accepting(q); });
}

std::optional<Word> shortest_rejected(const Dfa& dfa) {
    return shortest_to(dfa, [&](State q) { return !dfa.is_accepting(q); });
}

}  // namespace statetrack::automata
