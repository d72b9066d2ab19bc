// Group word problems (Merrill, Petty, Sabharwal 2024; Liu et al. 2023): tokens are group
// elements, the state after a prefix is its product (applied left to right, as
// automata::Permutation::operator*), the accepted words multiply to the identity.
// Token sets, the spec's "/TOKENS" suffix:
//   elements        all |G| elements, as Merrill et al.'s word-problem repo (default)
//   generators      the group's generators (automata::PermutationGroup::generators())
//   transpositions  the transpositions in G, e.g. the C(5,2) = 10 swaps of S5 (the
//                   "Deltaformer" swap task; Grazzi's restricted S5 generator sets)
// Generator-only tokens change difficulty (docs/anchors.md §2.2).
#pragma once

#include <string>
#include <string_view>

#include "automata/permutation_group.h"
#include "tasks/automaton_task.h"

namespace statetrack::tasks {

enum class GroupTokens { kElements, kGenerators, kTranspositions };

std::string to_string(GroupTokens tokens);

struct WordProblemSpec {
    std::string group;  // from_spec text, trimmed
    GroupTokens tokens = GroupTokens::kElements;
};

// "S5", "S5/generators", "(1 2 3); (1 2)/transpositions". Throws std::invalid_argument on an
// unknown token set (listing the valid ones) or an empty group.
WordProblemSpec parse_word_problem(std::string_view argument);

// Largest group order accepted: an all-elements task holds an order x order table.
inline constexpr size_t kMaxElementTokensOrder = 2048;
inline constexpr size_t kMaxGroupOrder = 100'000;

// The Cayley DFA of `group` on the chosen tokens; final_label classes = group elements.
// Throws std::invalid_argument when the group has no transposition (for kTranspositions) or is
// too large for the token set.
LabelledAutomaton word_problem_automaton(const automata::PermutationGroup& group,
                                         GroupTokens tokens);

}  // namespace statetrack::tasks
