// Green's classes as strongly connected components of Cayley graphs. See green_relations.h.
// Tarjan's algorithm, iterative (the graphs have up to max_monoid_size vertices, too deep for
// recursion), reading successors straight from the monoid's Cayley tables.
#include "automata/green_relations.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace statetrack::automata {

namespace {

constexpr uint32_t kUnset = std::numeric_limits<uint32_t>::max();

// Component id per vertex 0..n-1; vertex v has out_degree successors successor(v, e).
template <typename Successor>
size_t strong_components(size_t n, size_t out_degree, const Successor& successor,
                         std::vector<uint32_t>& component) {
    std::vector<uint32_t> order(n, kUnset), low(n, 0), tarjan_stack;
    std::vector<std::pair<uint32_t, size_t>> calls;  // (vertex, next edge to explore)
    component.assign(n, kUnset);
    uint32_t visited = 0, components = 0;
    auto visit = [&](size_t v) {
        order[v] = low[v] = visited++;
        tarjan_stack.push_back(static_cast<uint32_t>(v));
        calls.emplace_back(static_cast<uint32_t>(v), 0);
    };
    for (size_t root = 0; root < n; ++root) {
        if (order[root] != kUnset) {
            continue;
        }
        visit(root);
        while (!calls.empty()) {
            const uint32_t v = calls.back().first;
            if (calls.back().second < out_degree) {
                const size_t w = successor(v, calls.back().second++);
                if (order[w] == kUnset) {
                    visit(w);
                } else if (component[w] == kUnset) {  // w is still on the Tarjan stack
                    low[v] = std::min(low[v], order[w]);
                }
                continue;
            }
            if (low[v] == order[v]) {
                uint32_t w;
                do {
                    w = tarjan_stack.back();
                    tarjan_stack.pop_back();
                    component[w] = components;
                } while (w != v);
                ++components;
            }
            calls.pop_back();
            if (!calls.empty()) {
                low[calls.back().first] = std::min(low[calls.back().first], low[v]);
            }
        }
    }
    return components;
}

}  // namespace

GreenClasses green_classes(const TransformationMonoid& monoid) {
    const size_t n = monoid.size(), k = monoid.num_letters();
    auto right = [&](size_t x, size_t a) { return monoid.right(x, static_cast<Symbol>(a)); };
    auto left = [&](size_t x, size_t a) { return monoid.left(static_cast<Symbol>(a), x); };
    auto both = [&](size_t x, size_t e) { return e < k ? right(x, e) : left(x, e - k); };
    GreenClasses g;
    g.num_r = strong_components(n, k, right, g.r);
    g.num_l = strong_components(n, k, left, g.l);
    g.num_j = strong_components(n, 2 * k, both, g.j);
    return g;
}

}  // namespace statetrack::automata
