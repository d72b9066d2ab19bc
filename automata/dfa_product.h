// Boolean operations on DFAs: complement, the product construction (intersection, union,
// difference, symmetric difference) and language equivalence with a shortest counterexample.
// Binary operations need identical alphabets (same names, same order) and throw
// std::invalid_argument naming both alphabets otherwise. Products contain only the pairs
// reachable from (start_a, start_b), numbered in BFS order; pair states are named "(p,q)"
// after the operands' state names.
#pragma once

#include <optional>

#include "automata/dfa.h"

namespace statetrack::automata {

enum class ProductKind { kIntersection, kUnion, kDifference, kSymmetricDifference };

// Same states and table, accept set flipped (a Dfa is complete, so this is the complement).
Dfa complement(const Dfa& dfa);

Dfa product(const Dfa& a, const Dfa& b, ProductKind kind);
inline Dfa intersect(const Dfa& a, const Dfa& b) {
    return product(a, b, ProductKind::kIntersection);
}
inline Dfa unite(const Dfa& a, const Dfa& b) { return product(a, b, ProductKind::kUnion); }

// The shortlex-least word accepted by exactly one of a and b; nullopt iff L(a) = L(b).
std::optional<Word> find_counterexample(const Dfa& a, const Dfa& b);
inline bool equivalent(const Dfa& a, const Dfa& b) { return !find_counterexample(a, b); }

}  // namespace statetrack::automata
