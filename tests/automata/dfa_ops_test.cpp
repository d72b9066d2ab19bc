// Reachability, dead states and SCCs on a hand-checked example and against brute-force
// transitive closure; shortest accepted/rejected words against shortlex enumeration.
#include "automata/dfa_ops.h"

#include <gtest/gtest.h>

#include "automata/regex.h"
#include "automata_testing.h"

namespace statetrack::automata {
namespace {

// 0 <-> 1 (a), 0 -b-> 2 (sink), 1 -b-> 3, 3 <-> 4 (a), 4 accepting, 5 unreachable -b-> 0.
Dfa example() {
    return Dfa(testing::letters(2), 6, 0, {false, false, false, false, true, false},
               {1, 2, 0, 3, 2, 2, 4, 3, 3, 4, 5, 0});
}

TEST(DfaOps, ReachabilityOnAKnownExample) {
    const Dfa dfa = example();
    EXPECT_EQ(reachable_states(dfa), (std::vector<State>{0, 1, 2, 3, 4}));
    EXPECT_EQ(coreachable_states(dfa), (std::vector<State>{0, 1, 3, 4, 5}));
    EXPECT_EQ(dead_states(dfa), (std::vector<State>{2}));
}

TEST(DfaOps, SccsOnAKnownExample) {
    const SccResult scc = strongly_connected_components(example());
    ASSERT_EQ(scc.count, 4);
    const auto& c = scc.component;
    EXPECT_EQ(c[0], c[1]);
    EXPECT_EQ(c[3], c[4]);
    EXPECT_NE(c[0], c[2]);
    EXPECT_NE(c[0], c[3]);
    EXPECT_NE(c[0], c[5]);
    EXPECT_NE(c[2], c[3]);
    // Reverse topological numbering: edges go from higher to lower component numbers.
    EXPECT_LT(c[2], c[0]);
    EXPECT_LT(c[3], c[1]);
    EXPECT_LT(c[0], c[5]);
}

// reach[p][q]: q reachable from p by a path of length >= 0 (Warshall).
std::vector<std::vector<bool>> closure(const Dfa& dfa) {
    const auto n = static_cast<size_t>(dfa.num_states());
    std::vector<std::vector<bool>> reach(n, std::vector<bool>(n, false));
    for (size_t p = 0; p < n; ++p) {
        reach[p][p] = true;
        for (Symbol s = 0; static_cast<size_t>(s) < dfa.alphabet().size(); ++s) {
            reach[p][static_cast<size_t>(dfa.step(static_cast<State>(p), s))] = true;
        }
    }
    for (size_t m = 0; m < n; ++m) {
        for (size_t p = 0; p < n; ++p) {
            for (size_t q = 0; q < n; ++q) {
                reach[p][q] = reach[p][q] || (reach[p][m] && reach[m][q]);
            }
        }
    }
    return reach;
}

TEST(DfaOps, RandomDfasAgreeWithTransitiveClosure) {
    Rng rng(11);
    for (int trial = 0; trial < 100; ++trial) {
        const Dfa dfa = testing::random_dfa_up_to(rng, 25, 2);
        const auto reach = closure(dfa);
        const SccResult scc = strongly_connected_components(dfa);
        std::vector<State> reachable, coreachable;
        for (State p = 0; p < dfa.num_states(); ++p) {
            const auto up = static_cast<size_t>(p);
            if (reach[static_cast<size_t>(dfa.start())][up]) {
                reachable.push_back(p);
            }
            bool live = false;
            for (State q = 0; q < dfa.num_states(); ++q) {
                const auto uq = static_cast<size_t>(q);
                live = live || (reach[up][uq] && dfa.is_accepting(q));
                ASSERT_EQ(scc.component[up] == scc.component[uq], reach[up][uq] && reach[uq][up]);
                if (reach[up][uq] && scc.component[up] != scc.component[uq]) {
                    ASSERT_GT(scc.component[up], scc.component[uq]);
                }
            }
            if (live) {
                coreachable.push_back(p);
            }
        }
        EXPECT_EQ(reachable_states(dfa), reachable);
        EXPECT_EQ(coreachable_states(dfa), coreachable);
        EXPECT_EQ(dead_states(dfa).size() + coreachable.size(),
                  static_cast<size_t>(dfa.num_states()));
    }
}

TEST(DfaOps, ShortestWordsOnAKnownExample) {
    EXPECT_EQ(shortest_accepted(example()), (Word{0, 1, 0}));  // "aba"
    EXPECT_EQ(shortest_rejected(example()), Word{});
    const Alphabet ab = testing::letters(2);
    EXPECT_EQ(shortest_accepted(regex_to_dfa("[ab]*", ab)), Word{});
    EXPECT_EQ(shortest_rejected(regex_to_dfa("[ab]*", ab)), std::nullopt);
    EXPECT_EQ(shortest_accepted(regex_to_dfa("[^ab]", ab)), std::nullopt);
    EXPECT_EQ(shortest_accepted(regex_to_dfa("bb*a|ab", ab)), (Word{0, 1}));  // "ab" < "ba"
}

TEST(DfaOps, ShortestWordsMatchShortlexEnumeration) {
    Rng rng(12);
    for (int trial = 0; trial < 200; ++trial) {
        const Dfa dfa = testing::random_dfa_up_to(rng, 7, 3);
        const size_t k = dfa.alphabet().size();
        const State n = dfa.num_states();
        // A shortest word to a state never repeats a state, so length < n suffices.
        std::optional<Word> accepted, rejected;
        for (const Word& w : testing::words_up_to(k, static_cast<size_t>(n - 1))) {
            if (dfa.accepts(w) && !accepted) {
                accepted = w;
            }
            if (!dfa.accepts(w) && !rejected) {
                rejected = w;
            }
        }
        ASSERT_EQ(shortest_accepted(dfa), accepted) << "trial " << trial;
        ASSERT_EQ(shortest_rejected(dfa), rejected) << "trial " << trial;
    }
}

}  // namespace
}  // namespace statetrack::automata
