// classify() on hand-built DFAs whose syntactic monoids are known from the literature, and
// against the brute-force oracle (definitions only) on random small DFAs.
#include "automata/algebra.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "automata/permutation_group.h"
#include "automata/random.h"
#include "monoid_oracle.h"

namespace statetrack::automata {
namespace {

using oracle::dfa_from_maps;
using oracle::full_transformation_dfa;
using oracle::Map;

using GroupKind = std::tuple<size_t, bool, bool>;  // order, abelian, solvable

// The report's groups, one entry per idempotent, sorted like the oracle's.
std::vector<GroupKind> expand(const AlgebraReport& r) {
    std::vector<GroupKind> out;
    for (const GroupFound& g : r.groups) {
        EXPECT_GT(g.order, 1u);
        EXPECT_GT(g.count, 0u);
        out.insert(out.end(), g.count, GroupKind{g.order, g.abelian, g.solvable});
    }
    std::sort(out.begin(), out.end());
    return out;
}

TEST(Algebra, StarFreeAbStarIsAperiodic) {
    // (ab)*: 0 -a-> 1 -b-> 0, everything else to the sink 2. Syntactic monoid
    // {1, a, b, ab, ba, 0}, idempotents 1, ab, ba, 0 (the Brandt monoid B2 with identity).
    const AlgebraReport r = classify(dfa_from_maps("ab", {{1, 2, 2}, {2, 0, 2}}));
    EXPECT_EQ(r.dfa_states, 3u);
    EXPECT_EQ(r.monoid_size, 6u);
    EXPECT_EQ(r.idempotents, 4u);
    EXPECT_TRUE(r.groups.empty());
    EXPECT_EQ(r.largest_group_order, 1u);
    EXPECT_EQ(r.monoid_class, MonoidClass::kAperiodic);
    EXPECT_TRUE(r.quasi_aperiodic);
    EXPECT_EQ(r.circuit, CircuitClass::kAC0);
}

TEST(Algebra, ParityOfAsIsSolvableAndNotQuasiAperiodic) {
    const AlgebraReport r = classify(dfa_from_maps("ab", {{1, 0}, {0, 1}}));
    EXPECT_EQ(r.monoid_size, 2u);
    ASSERT_EQ(r.groups.size(), 1u);
    EXPECT_EQ(r.groups[0].order, 2u);
    EXPECT_TRUE(r.groups[0].abelian);
    EXPECT_TRUE(r.groups[0].solvable);
    EXPECT_EQ(r.groups[0].count, 1u);
    EXPECT_EQ(r.monoid_class, MonoidClass::kSolvable);
    EXPECT_EQ(r.stability_index, 1u);  // eta(Sigma) = {1, a} = eta(Sigma^2)
    EXPECT_FALSE(r.quasi_aperiodic);
    EXPECT_EQ(r.circuit, CircuitClass::kACC0);
}

TEST(Algebra, EvenLengthIsAGroupButQuasiAperiodic) {
    // Z2 again, but every letter toggles: eta(Sigma^2) = {1}, so the stable semigroup is trivial.
    const AlgebraReport r = classify(dfa_from_maps("ab", {{1, 0}, {1, 0}}));
    EXPECT_EQ(r.monoid_size, 2u);
    EXPECT_EQ(r.monoid_class, MonoidClass::kSolvable);
    EXPECT_EQ(r.largest_group_order, 2u);
    EXPECT_EQ(r.stability_index, 2u);
    EXPECT_TRUE(r.quasi_aperiodic);
    EXPECT_EQ(r.circuit, CircuitClass::kAC0);
}

TEST(Algebra, UnaryEvenLengthIsQuasiAperiodic) {
    // (aa)* over {a}: the same morphism as even length (BCST 1992's example of a non-aperiodic
    // AC0 language: a circuit knows its input length).
    const AlgebraReport unary = classify(dfa_from_maps("a", {{1, 0}}));
    EXPECT_EQ(unary.monoid_class, MonoidClass::kSolvable);
    EXPECT_EQ(unary.stability_index, 2u);
    EXPECT_TRUE(unary.quasi_aperiodic);
    EXPECT_EQ(unary.circuit, CircuitClass::kAC0);
    // (aa)* over {a, b}: b goes to a sink; the stable semigroup {1, 0} is still aperiodic.
    const AlgebraReport binary = classify(dfa_from_maps("ab", {{1, 0, 2}, {2, 2, 2}}));
    EXPECT_EQ(binary.monoid_size, 3u);
    EXPECT_TRUE(binary.quasi_aperiodic);
    EXPECT_EQ(binary.circuit, CircuitClass::kAC0);
}

TEST(Algebra, CountingModThreeIsACC0) {
    const AlgebraReport r = classify(dfa_from_maps("ab", {{1, 2, 0}, {0, 1, 2}}));
    ASSERT_EQ(r.groups.size(), 1u);
    EXPECT_EQ(r.groups[0].order, 3u);
    EXPECT_FALSE(r.quasi_aperiodic);
    EXPECT_EQ(r.circuit, CircuitClass::kACC0);
}

TEST(Algebra, FlipFlopIsAperiodic) {
    // Letters: set to 0, set to 1, keep. Monoid {1, set0, set1}.
    const AlgebraReport r = classify(dfa_from_maps("abn", {{0, 0}, {1, 1}, {0, 1}}));
    EXPECT_EQ(r.monoid_size, 3u);
    EXPECT_EQ(r.idempotents, 3u);
    EXPECT_EQ(r.monoid_class, MonoidClass::kAperiodic);
    EXPECT_EQ(r.circuit, CircuitClass::kAC0);
}

TEST(Algebra, NonSolvableWordProblems) {
    for (const auto& [spec, order] : {std::pair<const char*, size_t>{"S5", 120}, {"A5", 60}}) {
        SCOPED_TRACE(spec);
        const PermutationGroup g = PermutationGroup::from_spec(spec);
        for (const Dfa& dfa : {g.cayley_dfa_all_elements(), g.cayley_dfa_generators()}) {
            const AlgebraReport r = classify(dfa);
            EXPECT_EQ(r.monoid_size, order);
            EXPECT_EQ(r.idempotents, 1u);
            ASSERT_EQ(r.groups.size(), 1u);
            EXPECT_EQ(r.groups[0].order, order);
            EXPECT_FALSE(r.groups[0].abelian);
            EXPECT_FALSE(r.groups[0].solvable);
            EXPECT_EQ(r.largest_group_order, order);
            EXPECT_EQ(r.monoid_class, MonoidClass::kNonSolvable);
            EXPECT_FALSE(r.quasi_aperiodic);
            EXPECT_EQ(r.circuit, CircuitClass::kNC1Complete);
        }
    }
}

TEST(Algebra, SolvableNonAbelianWordProblem) {
    const AlgebraReport r =
        classify(PermutationGroup::from_spec("A4xZ5").cayley_dfa_all_elements());
    EXPECT_EQ(r.monoid_size, 60u);
    ASSERT_EQ(r.groups.size(), 1u);
    EXPECT_FALSE(r.groups[0].abelian);
    EXPECT_TRUE(r.groups[0].solvable);
    EXPECT_EQ(r.monoid_class, MonoidClass::kSolvable);
    EXPECT_EQ(r.circuit, CircuitClass::kACC0);
}

TEST(Algebra, FullTransformationMonoids) {
    // T_n: n^n elements, sum_k C(n,k) k^(n-k) idempotents; the maximal subgroups at rank k are
    // copies of S_k, one per idempotent of rank k.
    const AlgebraReport t3 = classify(full_transformation_dfa(3));
    EXPECT_EQ(t3.monoid_size, 27u);
    EXPECT_EQ(t3.idempotents, 10u);
    std::vector<GroupKind> t3_groups(6, GroupKind{2, true, true});  // S2 at rank 2
    t3_groups.emplace_back(6, false, true);                         // S3 at rank 3
    EXPECT_EQ(expand(t3), t3_groups);
    EXPECT_EQ(t3.largest_group_order, 6u);
    EXPECT_EQ(t3.monoid_class, MonoidClass::kSolvable);

    const AlgebraReport t4 = classify(full_transformation_dfa(4));
    EXPECT_EQ(t4.monoid_size, 256u);
    EXPECT_EQ(t4.idempotents, 41u);
    ASSERT_EQ(t4.groups.size(), 3u);
    EXPECT_EQ(std::make_tuple(t4.groups[0].order, t4.groups[0].count), std::make_tuple(24u, 1u));
    EXPECT_EQ(std::make_tuple(t4.groups[1].order, t4.groups[1].count), std::make_tuple(6u, 12u));
    EXPECT_EQ(std::make_tuple(t4.groups[2].order, t4.groups[2].count), std::make_tuple(2u, 24u));

    const AlgebraReport t5 = classify(full_transformation_dfa(5));
    EXPECT_EQ(t5.monoid_size, 3125u);
    EXPECT_EQ(t5.idempotents, 196u);
    EXPECT_EQ(t5.largest_group_order, 120u);
    EXPECT_EQ(t5.monoid_class, MonoidClass::kNonSolvable);
    EXPECT_EQ(t5.circuit, CircuitClass::kNC1Complete);
}

TEST(Algebra, MatchesBruteForceOnRandomDfas) {
    Rng rng(99);
    for (int t = 0; t < 60; ++t) {
        SCOPED_TRACE(t);
        const Dfa dfa =
            oracle::random_dfa(rng, 2 + uniform_below(rng, 3), 1 + uniform_below(rng, 3));
        const AlgebraReport r = classify(dfa);
        const std::set<Map> m = oracle::monoid(dfa);
        ASSERT_EQ(r.monoid_size, m.size());
        EXPECT_EQ(r.idempotents,
                  static_cast<size_t>(std::count_if(m.begin(), m.end(), oracle::idempotent)));
        EXPECT_EQ(r.monoid_class == MonoidClass::kAperiodic, oracle::aperiodic(m));
        EXPECT_EQ(expand(r), oracle::maximal_subgroups(m));
        EXPECT_EQ(r.stability_index, oracle::stability_index(dfa, 60));
        EXPECT_EQ(r.quasi_aperiodic, oracle::quasi_aperiodic(dfa, r.stability_index));
    }
}

TEST(Algebra, MonoidCapRaisesARuntimeError) {
    EXPECT_THROW(classify(full_transformation_dfa(4), 100), std::runtime_error);
    EXPECT_EQ(classify(full_transformation_dfa(4), 256).monoid_size, 256u);
}

TEST(Algebra, ClassNames) {
    EXPECT_EQ(to_string(MonoidClass::kAperiodic), "aperiodic");
    EXPECT_EQ(to_string(MonoidClass::kSolvable), "solvable");
    EXPECT_EQ(to_string(MonoidClass::kNonSolvable), "non-solvable");
    EXPECT_EQ(to_string(CircuitClass::kAC0), "AC0");
    EXPECT_EQ(to_string(CircuitClass::kACC0), "ACC0");
    EXPECT_EQ(to_string(CircuitClass::kNC1Complete), "NC1-complete");
}

// Element orders and letter periods against known group facts: the largest element order of
// S5 is 6 ((12)(345)), of A5 5, of A4 x Z5 15 (a 3-cycle times a generator of Z5), of Z60 60.
TEST(Algebra, LargestElementOrderAndLetterPeriod) {
    for (const auto& [spec, order] : {std::pair<const char*, size_t>{"S5", 6},
                                      {"A5", 5}, {"A4xZ5", 15}, {"Z60", 60}}) {
        SCOPED_TRACE(spec);
        const AlgebraReport r =
            classify(PermutationGroup::from_spec(spec).cayley_dfa_all_elements());
        EXPECT_EQ(r.max_element_order, order);
        EXPECT_EQ(r.max_letter_period, order);  // every element is a letter
    }
    // S5 by transpositions: every letter has period 2, the group still has elements of order 6.
    const AlgebraReport swaps = classify(
        PermutationGroup::from_spec("(1 2);(2 3);(3 4);(4 5)").cayley_dfa_generators());
    EXPECT_EQ(swaps.max_letter_period, 2u);
    EXPECT_EQ(swaps.max_element_order, 6u);
    // Parity of a's: a has period 2, b period 1. Counting mod 3: period 3.
    const AlgebraReport parity = classify(dfa_from_maps("ab", {{1, 0}, {0, 1}}));
    EXPECT_EQ(parity.max_element_order, 2u);
    EXPECT_EQ(parity.max_letter_period, 2u);
    const AlgebraReport mod3 = classify(dfa_from_maps("ab", {{1, 2, 0}, {0, 1, 2}}));
    EXPECT_EQ(mod3.max_element_order, 3u);
    EXPECT_EQ(mod3.max_letter_period, 3u);
    // (ab)* is aperiodic: no group, every letter's powers reach a fixed point (the sink).
    const AlgebraReport ab = classify(dfa_from_maps("ab", {{1, 2, 2}, {2, 0, 2}}));
    EXPECT_EQ(ab.max_element_order, 1u);
    EXPECT_EQ(ab.max_letter_period, 1u);
}

// T3's letters are a 3-cycle, a transposition and a rank-2 map (periods 3, 2, 1); its largest
// group S3 has elements of order 3.
TEST(Algebra, LetterPeriodOfFullTransformationMonoid) {
    const AlgebraReport t3 = classify(full_transformation_dfa(3));
    EXPECT_EQ(t3.max_element_order, 3u);
    EXPECT_EQ(t3.max_letter_period, 3u);
}

}  // namespace
}  // namespace statetrack::automata
