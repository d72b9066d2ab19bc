// Hopcroft minimisation against a naive Moore refinement (the oracle for the minimal size),
// brute-force language comparison, idempotence and canonical numbering.
#include "automata/dfa_minimize.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "automata/dfa_product.h"
#include "automata_testing.h"

namespace statetrack::automata {
namespace {

// Moore's algorithm, quadratic and obvious: refine by (class, successor classes) until
// stable, counting classes among the reachable states only.
size_t moore_minimal_size(const Dfa& dfa) {
    const auto n = static_cast<size_t>(dfa.num_states());
    std::vector<bool> reachable(n, false);
    std::vector<State> stack{dfa.start()};
    reachable[static_cast<size_t>(dfa.start())] = true;
    while (!stack.empty()) {
        const State q = stack.back();
        stack.pop_back();
        for (Symbol s = 0; static_cast<size_t>(s) < dfa.alphabet().size(); ++s) {
            const State to = dfa.step(q, s);
            if (!reachable[static_cast<size_t>(to)]) {
                reachable[static_cast<size_t>(to)] = true;
                stack.push_back(to);
            }
        }
    }
    std::vector<int> cls(n);
    for (size_t q = 0; q < n; ++q) {
        cls[q] = dfa.is_accepting(static_cast<State>(q)) ? 1 : 0;
    }
    for (size_t classes = 0;;) {
        std::map<std::vector<int>, int> ids;
        std::vector<int> next(n);
        for (size_t q = 0; q < n; ++q) {
            std::vector<int> signature{cls[q]};
            for (Symbol s = 0; static_cast<size_t>(s) < dfa.alphabet().size(); ++s) {
                signature.push_back(cls[static_cast<size_t>(dfa.step(static_cast<State>(q), s))]);
            }
            next[q] = ids.emplace(signature, static_cast<int>(ids.size())).first->second;
        }
        cls = next;
        if (ids.size() == classes) {
            break;  // refinement only splits classes, so an unchanged count means stable
        }
        classes = ids.size();
    }
    std::set<int> used;
    for (size_t q = 0; q < n; ++q) {
        if (reachable[q]) {
            used.insert(cls[q]);
        }
    }
    return used.size();
}

// The same automaton with states shuffled and `junk` unreachable states added.
Dfa scrambled(const Dfa& dfa, Rng& rng, State junk) {
    const State n = dfa.num_states() + junk;
    const size_t k = dfa.alphabet().size();
    std::vector<State> perm(static_cast<size_t>(n));
    for (State i = 0; i < n; ++i) {
        perm[static_cast<size_t>(i)] = i;
    }
    for (size_t i = perm.size(); i > 1; --i) {
        std::swap(perm[i - 1], perm[uniform_below(rng, i)]);
    }
    std::vector<State> table(static_cast<size_t>(n) * k);
    std::vector<bool> accepting(static_cast<size_t>(n));
    for (State q = 0; q < n; ++q) {
        const auto pq = static_cast<size_t>(perm[static_cast<size_t>(q)]);
        accepting[pq] = q < dfa.num_states() ? dfa.is_accepting(q) : bernoulli(rng, 1, 2);
        for (size_t s = 0; s < k; ++s) {
            const State to = q < dfa.num_states()
                                 ? dfa.step(q, static_cast<Symbol>(s))
                                 : static_cast<State>(uniform_below(rng, static_cast<uint64_t>(n)));
            table[pq * k + s] = perm[static_cast<size_t>(to)];
        }
    }
    return Dfa(dfa.alphabet(), n, perm[static_cast<size_t>(dfa.start())], std::move(accepting),
               std::move(table));
}

TEST(Minimize, RandomDfasMatchTheMooreOracleAndKeepTheLanguage) {
    Rng rng(99);
    for (int trial = 0; trial < 300; ++trial) {
        const Dfa dfa = testing::random_dfa_up_to(rng, 40, 3);
        const size_t k = dfa.alphabet().size();
        const Dfa min = minimize(dfa);
        ASSERT_EQ(static_cast<size_t>(min.num_states()), moore_minimal_size(dfa))
            << "trial " << trial;
        ASSERT_EQ(min.start(), 0);
        ASSERT_TRUE(equivalent(dfa, min));
        for (const Word& w : testing::words_up_to(k, k == 3 ? 5 : 7)) {
            ASSERT_EQ(dfa.accepts(w), min.accepts(w));
        }
        ASSERT_TRUE(testing::same_dfa(minimize(min), min)) << "not idempotent, trial " << trial;
        ASSERT_TRUE(testing::same_dfa(minimize(scrambled(dfa, rng, 5)), min))
            << "numbering not canonical, trial " << trial;
    }
}

TEST(Minimize, CanonicalNumberingIsBfsFromTheStart) {
    Rng rng(3);
    const Dfa min = minimize(testing::random_dfa(rng, 30, 2));
    // BFS order: each state is first reached from a smaller-numbered state, so the states that
    // appear in the table, read row by row, appear in increasing order of first appearance.
    State next_new = 1;
    for (State to : min.table()) {
        ASSERT_LE(to, next_new);
        if (to == next_new) {
            ++next_new;
        }
    }
    EXPECT_EQ(next_new, min.num_states());
}

TEST(Minimize, TrivialLanguages) {
    const Alphabet ab = testing::letters(2);
    // All states accepting, or none: one state.
    const Dfa all(ab, 3, 1, {true, true, true}, {1, 2, 2, 0, 0, 1});
    const Dfa none(ab, 3, 1, {false, false, false}, {1, 2, 2, 0, 0, 1});
    EXPECT_EQ(minimize(all).num_states(), 1);
    EXPECT_TRUE(minimize(all).is_accepting(0));
    EXPECT_EQ(minimize(none).num_states(), 1);
    EXPECT_FALSE(minimize(none).is_accepting(0));
    EXPECT_EQ(minimize(all).alphabet(), ab);
}

TEST(Minimize, ThousandsOfStatesMatchTheOracle) {
    Rng rng(5);
    const Dfa dfa = testing::random_dfa(rng, 3000, 4);
    const Dfa min = minimize(dfa);
    EXPECT_EQ(static_cast<size_t>(min.num_states()), moore_minimal_size(dfa));
}

}  // namespace
}  // namespace statetrack::automata
