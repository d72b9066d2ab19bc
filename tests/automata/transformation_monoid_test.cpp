// TransformationMonoid against known monoid sizes (full transformation monoids T_n have n^n
// elements; a permutation automaton's monoid is its group) and a brute-force oracle.
#include "automata/transformation_monoid.h"

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "automata/random.h"
#include "monoid_oracle.h"

namespace statetrack::automata {
namespace {

using oracle::full_transformation_dfa;
using oracle::Map;

std::set<Map> all_elements(const TransformationMonoid& m) {
    std::set<Map> out;
    for (size_t i = 0; i < m.size(); ++i) {
        out.insert(m.transformation(i));
    }
    return out;
}

TEST(TransformationMonoid, FullTransformationMonoidSizes) {
    EXPECT_EQ(TransformationMonoid(full_transformation_dfa(2)).size(), 4u);
    EXPECT_EQ(TransformationMonoid(full_transformation_dfa(3)).size(), 27u);
    EXPECT_EQ(TransformationMonoid(full_transformation_dfa(4)).size(), 256u);
    EXPECT_EQ(TransformationMonoid(full_transformation_dfa(5)).size(), 3125u);
}

TEST(TransformationMonoid, PermutationAutomatonGivesItsGroup) {
    for (size_t n : {1, 2, 7, 60}) {
        Map rotate(n);
        for (size_t q = 0; q < n; ++q) {
            rotate[q] = static_cast<State>((q + 1) % n);
        }
        EXPECT_EQ(TransformationMonoid(oracle::dfa_from_maps("a", {rotate})).size(), n);
    }
}

TEST(TransformationMonoid, IdentityFirstAndLettersFound) {
    // Parity of a's: 'b' acts as the identity, so the monoid is {1, a}.
    const Dfa dfa = oracle::dfa_from_maps("ab", {{1, 0}, {0, 1}});
    const TransformationMonoid m(dfa);
    EXPECT_EQ(m.size(), 2u);
    EXPECT_EQ(m.transformation(TransformationMonoid::kIdentity), (Map{0, 1}));
    EXPECT_EQ(m.letter(1), TransformationMonoid::kIdentity);
    EXPECT_EQ(m.letter(0), 1u);
    EXPECT_EQ(m.find({1, 0}), std::optional<size_t>(1));
    EXPECT_EQ(m.find({0, 0}), std::nullopt);  // a constant map is not in Z2
    EXPECT_EQ(m.find({0}), std::nullopt);
}

TEST(TransformationMonoid, TablesAgreeWithComposition) {
    const TransformationMonoid m(full_transformation_dfa(3));
    const std::vector<Map> letters = oracle::letter_maps(full_transformation_dfa(3));
    for (size_t i = 0; i < m.size(); ++i) {
        const Map x = m.transformation(i);
        for (Symbol a = 0; a < 3; ++a) {
            ASSERT_EQ(m.transformation(m.right(i, a)), oracle::then(x, letters[a]));
            ASSERT_EQ(m.transformation(m.left(a, i)), oracle::then(letters[a], x));
        }
        for (size_t j = 0; j < m.size(); ++j) {
            ASSERT_EQ(m.transformation(m.multiply(i, j)), oracle::then(x, m.transformation(j)));
        }
        EXPECT_EQ(m.is_idempotent(i), oracle::idempotent(x));
    }
}

TEST(TransformationMonoid, RepresentativesSpellTheirElements) {
    const Dfa dfa = full_transformation_dfa(4);
    const TransformationMonoid m(dfa);
    size_t previous_length = 0;
    for (size_t i = 0; i < m.size(); ++i) {
        const Word w = m.representative(i);
        EXPECT_GE(w.size(), previous_length);  // BFS order: shortest words first
        previous_length = w.size();
        Map reached(4);
        for (State q = 0; q < 4; ++q) {
            reached[static_cast<size_t>(q)] = dfa.run(w, q);
        }
        ASSERT_EQ(reached, m.transformation(i));
    }
}

TEST(TransformationMonoid, MatchesBruteForceOnRandomDfas) {
    Rng rng(2024);
    for (int t = 0; t < 40; ++t) {
        const Dfa dfa =
            oracle::random_dfa(rng, 2 + uniform_below(rng, 4), 1 + uniform_below(rng, 3));
        const TransformationMonoid m(dfa);
        ASSERT_EQ(all_elements(m), oracle::monoid(dfa)) << "trial " << t;
        ASSERT_EQ(m.size(), all_elements(m).size());  // no element stored twice
    }
}

TEST(TransformationMonoid, CapIsEnforcedWithAClearMessage) {
    try {
        TransformationMonoid m(full_transformation_dfa(4), 100);
        FAIL() << "expected the cap to trip";
    } catch (const std::runtime_error& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("more than 100 elements"), std::string::npos) << what;
        EXPECT_NE(what.find("raise max_monoid_size"), std::string::npos) << what;
    }
    EXPECT_EQ(TransformationMonoid(full_transformation_dfa(4), 256).size(), 256u);
}

TEST(TransformationMonoid, RejectsDfasBeyondSixteenBitStates) {
    const size_t n = 70000;
    Map rotate(n);
    for (size_t q = 0; q < n; ++q) {
        rotate[q] = static_cast<State>((q + 1) % n);
    }
    EXPECT_THROW(TransformationMonoid(oracle::dfa_from_maps("a", {rotate})), std::invalid_argument);
}

}  // namespace
}  // namespace statetrack::automata
