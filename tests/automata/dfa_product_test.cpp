// Complement, products and equivalence: pointwise against brute force, the Boolean laws,
// and counterexamples that really distinguish and are shortest.
#include "automata/dfa_product.h"

#include <gtest/gtest.h>

#include "automata/dfa_minimize.h"
#include "automata/dfa_ops.h"
#include "automata/regex.h"
#include "automata_testing.h"

namespace statetrack::automata {
namespace {

TEST(DfaProduct, PointwiseAgainstBruteForce) {
    Rng rng(21);
    for (int trial = 0; trial < 60; ++trial) {
        const size_t k = 1 + uniform_below(rng, 2);
        const Dfa a = testing::random_dfa(rng, static_cast<State>(1 + uniform_below(rng, 8)), k);
        const Dfa b = testing::random_dfa(rng, static_cast<State>(1 + uniform_below(rng, 8)), k);
        const Dfa meet = intersect(a, b);
        const Dfa join = unite(a, b);
        const Dfa diff = product(a, b, ProductKind::kDifference);
        const Dfa sym = product(a, b, ProductKind::kSymmetricDifference);
        const Dfa not_a = complement(a);
        for (const Word& w : testing::words_up_to(k, 7)) {
            const bool x = a.accepts(w);
            const bool y = b.accepts(w);
            ASSERT_EQ(meet.accepts(w), x && y);
            ASSERT_EQ(join.accepts(w), x || y);
            ASSERT_EQ(diff.accepts(w), x && !y);
            ASSERT_EQ(sym.accepts(w), x != y);
            ASSERT_EQ(not_a.accepts(w), !x);
        }
        // Only reachable pairs are built.
        EXPECT_EQ(reachable_states(meet).size(), static_cast<size_t>(meet.num_states()));
        EXPECT_LE(meet.num_states(), a.num_states() * b.num_states());
    }
}

TEST(DfaProduct, BooleanLaws) {
    Rng rng(22);
    for (int trial = 0; trial < 60; ++trial) {
        const Dfa a = testing::random_dfa(rng, static_cast<State>(1 + uniform_below(rng, 12)), 2);
        const Dfa b = testing::random_dfa(rng, static_cast<State>(1 + uniform_below(rng, 12)), 2);
        // De Morgan, both ways.
        EXPECT_TRUE(equivalent(complement(unite(a, b)), intersect(complement(a), complement(b))));
        EXPECT_TRUE(equivalent(complement(intersect(a, b)), unite(complement(a), complement(b))));
        // L and its complement: disjoint, and together everything.
        EXPECT_EQ(shortest_accepted(intersect(a, complement(a))), std::nullopt);
        EXPECT_EQ(shortest_rejected(unite(a, complement(a))), std::nullopt);
        EXPECT_TRUE(equivalent(complement(complement(a)), a));
        EXPECT_TRUE(equivalent(a, minimize(a)));
        EXPECT_TRUE(
            equivalent(product(a, b, ProductKind::kDifference), intersect(a, complement(b))));
    }
}

TEST(DfaProduct, CounterexamplesDistinguishAndAreShortest) {
    Rng rng(23);
    int distinct = 0;
    for (int trial = 0; trial < 150; ++trial) {
        const Dfa a = testing::random_dfa(rng, static_cast<State>(1 + uniform_below(rng, 5)), 2);
        const Dfa b = testing::random_dfa(rng, static_cast<State>(1 + uniform_below(rng, 5)), 2);
        const std::optional<Word> cex = find_counterexample(a, b);
        // Brute force: the first word in shortlex order on which they differ. Length 9 is
        // enough: DFAs with n1 and n2 states that differ do so on a word of length <= n1+n2-2.
        std::optional<Word> expected;
        for (const Word& w : testing::words_up_to(2, 9)) {
            if (a.accepts(w) != b.accepts(w)) {
                expected = w;
                break;
            }
        }
        ASSERT_EQ(cex, expected) << "trial " << trial;
        if (cex) {
            ++distinct;
            ASSERT_NE(a.accepts(*cex), b.accepts(*cex));
        }
    }
    EXPECT_GT(distinct, 50);  // the sample really exercises both outcomes
}

TEST(DfaProduct, RegexEquivalences) {
    const Alphabet ab = testing::letters(2);
    EXPECT_TRUE(equivalent(regex_to_dfa("(a|b)*", ab), regex_to_dfa("(a*b*)*", ab)));
    EXPECT_TRUE(equivalent(regex_to_dfa("(ab)*a", ab), regex_to_dfa("a(ba)*", ab)));
    EXPECT_EQ(find_counterexample(regex_to_dfa("a*", ab), regex_to_dfa("a+", ab)), Word{});
    EXPECT_EQ(find_counterexample(regex_to_dfa("(ab)*", ab), regex_to_dfa("(ab|ba)*", ab)),
              (Word{1, 0}));
}

TEST(DfaProduct, AlphabetMismatchIsAClearError) {
    const Dfa a = regex_to_dfa("a*", Alphabet::from_chars("ab"));
    const Dfa c = regex_to_dfa("a*", Alphabet::from_chars("ac"));
    try {
        intersect(a, c);
        FAIL() << "expected an error";
    } catch (const std::invalid_argument& e) {
        EXPECT_STREQ(e.what(),
                     "dfa product: alphabets differ ([a, b] vs [a, c]); both operands "
                     "need the same alphabet in the same order");
    }
    EXPECT_THROW(find_counterexample(a, c), std::invalid_argument);
}

TEST(DfaProduct, PairStatesAreNamedAfterTheOperands) {
    const Alphabet ab = testing::letters(2);
    const Dfa x(ab, 2, 0, {false, true}, {1, 0, 1, 0}, {"p", "q"});
    const Dfa y(ab, 1, 0, {true}, {0, 0}, {"r"});
    const Dfa xy = intersect(x, y);
    EXPECT_EQ(xy.state_names(), (std::vector<std::string>{"(p,r)", "(q,r)"}));
}

}  // namespace
}  // namespace statetrack::automata
