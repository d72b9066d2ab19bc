// Nfa and subset construction: determinize() against direct NFA set simulation on random
// epsilon-NFAs, plus edge cases (epsilon cycles, no accepting state, bad edges, size cap).
#include "automata/nfa.h"

#include <gtest/gtest.h>

#include "automata/dfa_ops.h"
#include "automata_testing.h"

namespace statetrack::automata {
namespace {

Nfa random_nfa(Rng& rng, State n, size_t k) {
    Nfa nfa(testing::letters(k));
    for (State q = 0; q < n; ++q) {
        nfa.add_state(bernoulli(rng, 1, 4));
    }
    const auto edges = static_cast<size_t>(n) * (k + 1);
    for (size_t e = 0; e < edges; ++e) {
        const auto from = static_cast<State>(uniform_below(rng, static_cast<uint64_t>(n)));
        const auto to = static_cast<State>(uniform_below(rng, static_cast<uint64_t>(n)));
        if (bernoulli(rng, 1, 4)) {
            nfa.add_epsilon(from, to);
        } else {
            nfa.add_transition(from, static_cast<Symbol>(uniform_below(rng, k)), to);
        }
    }
    nfa.set_start(static_cast<State>(uniform_below(rng, static_cast<uint64_t>(n))));
    return nfa;
}

TEST(Nfa, SubsetConstructionMatchesSetSimulation) {
    Rng rng(41);
    for (int trial = 0; trial < 120; ++trial) {
        const size_t k = 1 + uniform_below(rng, 3);
        const Nfa nfa = random_nfa(rng, static_cast<State>(1 + uniform_below(rng, 10)), k);
        const Dfa dfa = determinize(nfa);
        ASSERT_EQ(dfa.alphabet(), nfa.alphabet());
        ASSERT_EQ(reachable_states(dfa).size(), static_cast<size_t>(dfa.num_states()));
        for (const Word& w : testing::words_up_to(k, k == 3 ? 5 : 7)) {
            ASSERT_EQ(dfa.accepts(w), nfa.accepts(w)) << "trial " << trial;
        }
    }
}

TEST(Nfa, EpsilonCyclesAndClosure) {
    // 0 -e-> 1 -e-> 2 -e-> 0, 2 -a-> 3 (accepting).
    Nfa nfa(testing::letters(1));
    for (int i = 0; i < 4; ++i) {
        nfa.add_state(i == 3);
    }
    nfa.add_epsilon(0, 1);
    nfa.add_epsilon(1, 2);
    nfa.add_epsilon(2, 0);
    nfa.add_transition(2, 0, 3);
    EXPECT_EQ(nfa.epsilon_closure({1}), (std::vector<State>{0, 1, 2}));
    const Dfa dfa = determinize(nfa);
    EXPECT_EQ(dfa.num_states(), 3);  // {0,1,2}, {3}, and the empty set as sink
    EXPECT_FALSE(dfa.accepts({}));
    EXPECT_TRUE(dfa.accepts({0}));
    EXPECT_FALSE(dfa.accepts({0, 0}));
    EXPECT_EQ(dead_states(dfa), std::vector<State>{dfa.step(dfa.step(0, 0), 0)});
}

TEST(Nfa, NoAcceptingStateGivesAnEmptyLanguage) {
    Nfa nfa(testing::letters(2));
    nfa.add_state();
    nfa.add_transition(0, 1, 0);
    const Dfa dfa = determinize(nfa);
    EXPECT_EQ(shortest_accepted(dfa), std::nullopt);
    EXPECT_EQ(dfa.num_states(), 2);
}

TEST(Nfa, BadInputIsRejected) {
    Nfa nfa(testing::letters(2));
    EXPECT_THROW(determinize(nfa), std::invalid_argument);  // no states
    nfa.add_state();
    EXPECT_THROW(nfa.add_transition(0, 2, 0), std::invalid_argument);
    EXPECT_THROW(nfa.add_transition(0, kEpsilon, 0), std::invalid_argument);
    EXPECT_THROW(nfa.add_epsilon(0, 1), std::invalid_argument);
    EXPECT_THROW(nfa.set_start(3), std::invalid_argument);
}

TEST(Nfa, SubsetConstructionStopsAtTheStateCap) {
    // The n-th symbol from the end is 'a': 2^n reachable subsets.
    const int n = 12;
    Nfa nfa(testing::letters(2));
    for (int i = 0; i <= n; ++i) {
        nfa.add_state(i == n);
    }
    nfa.add_transition(0, 0, 0);
    nfa.add_transition(0, 1, 0);
    nfa.add_transition(0, 0, 1);
    for (State i = 1; i < n; ++i) {
        nfa.add_transition(i, 0, i + 1);
        nfa.add_transition(i, 1, i + 1);
    }
    EXPECT_EQ(determinize(nfa).num_states(), 1 << n);
    EXPECT_THROW(determinize(nfa, 1000), std::runtime_error);
}

}  // namespace
}  // namespace statetrack::automata
