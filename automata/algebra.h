// Algebraic classification of a regular language from its syntactic monoid (the transition
// monoid of its minimal DFA): aperiodic (star-free, AC0), only solvable groups (ACC0), or a
// non-solvable group (NC1-complete by Barrington). The quasi-aperiodic flag refines the AC0
// reading: a language is in AC0 iff its syntactic morphism is quasi-aperiodic (its stable
// semigroup eta(Sigma^s) is aperiodic), so e.g. "even length" over {a,b} is AC0 although its
// monoid Z2 is a group. See docs/anchors.md §5.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "automata/dfa.h"

namespace statetrack::automata {

enum class MonoidClass { kAperiodic, kSolvable, kNonSolvable };
enum class CircuitClass { kAC0, kACC0, kNC1Complete };

std::string to_string(MonoidClass c);   // "aperiodic" | "solvable" | "non-solvable"
std::string to_string(CircuitClass c);  // "AC0" | "ACC0" | "NC1-complete"

struct GroupFound {
    size_t order = 0;  // order of a maximal subgroup (H-class of an idempotent), > 1
    bool abelian = false;
    bool solvable = false;
    size_t count = 0;              // how many idempotents have a maximal subgroup of this kind
    size_t max_element_order = 1;  // largest order of one of its elements
};

struct AlgebraReport {
    size_t dfa_states = 0;   // of the DFA the monoid was computed from
    size_t monoid_size = 0;  // transition monoid, identity included
    size_t idempotents = 0;
    std::vector<GroupFound> groups;  // nontrivial maximal subgroups, grouped by (order, kind)
    size_t largest_group_order = 1;
    // Largest order of an element of any maximal subgroup (1: aperiodic). Order 2 everywhere
    // means every group is elementary abelian 2-group, the reach of diagonal transitions in
    // [-1, 1] (docs/verdicts.md).
    size_t max_element_order = 1;
    // Largest period of one letter's transformation (the lcm of the cycle lengths of its
    // functional graph; 1: every letter is aperiodic). A letter of period p >= 2 must cycle
    // under repetition, which one layer with real transition eigenvalues in (-1, 1] cannot do.
    size_t max_letter_period = 1;
    MonoidClass monoid_class = MonoidClass::kAperiodic;
    bool quasi_aperiodic = true;
    size_t stability_index = 1;  // smallest s with eta(Sigma^s) = eta(Sigma^2s)
    CircuitClass circuit = CircuitClass::kAC0;
};

// Classifies the transition monoid of `dfa` (call it on a minimal DFA to get the syntactic
// monoid). Throws std::runtime_error when the monoid exceeds max_monoid_size elements.
AlgebraReport classify(const Dfa& dfa, size_t max_monoid_size = 100'000);

}  // namespace statetrack::automata
