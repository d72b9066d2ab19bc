// Exact counting against brute-force enumeration; unranking against the sorted member list;
// uniformity by a chi-square test that a plausible wrong sampler fails; determinism.
#include "automata/dfa_sampler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "automata/regex.h"
#include "automata_testing.h"

namespace statetrack::automata {
namespace {

std::vector<Word> brute_force_members(const Dfa& dfa, size_t length, bool members = true) {
    std::vector<Word> out;
    for (const Word& w : testing::all_words(dfa.alphabet().size(), length)) {
        if (dfa.accepts(w) == members) {
            out.push_back(w);
        }
    }
    return out;  // lexicographic, as all_words is
}

// Pearson's statistic of the observed counts against a uniform expectation.
double chi_square(const std::map<Word, int>& hist, size_t categories, int draws) {
    const double expected = static_cast<double>(draws) / static_cast<double>(categories);
    double chi2 = 0;
    for (const auto& [word, seen] : hist) {
        chi2 += (seen - expected) * (seen - expected) / expected;
    }
    // Members never drawn contribute expected each.
    chi2 += static_cast<double>(categories - hist.size()) * expected;
    return chi2;
}

// Critical value at p = 0.001 (Wilson-Hilferty approximation, accurate to ~1% here).
double chi_square_critical(size_t df) {
    const double d = static_cast<double>(df);
    const double z = 3.0902;
    const double t = 1 - 2 / (9 * d) + z * std::sqrt(2 / (9 * d));
    return d * t * t * t;
}

TEST(DfaSampler, CountsMatchBruteForce) {
    Rng rng(61);
    for (int trial = 0; trial < 40; ++trial) {
        const Dfa dfa = testing::random_dfa_up_to(rng, 9, 3);
        const DfaSampler sampler(dfa, 7);
        const std::vector<BigUnsigned> per_length = count_members_per_length(dfa, 7);
        for (size_t len = 0; len <= 7; ++len) {
            const auto members = static_cast<uint64_t>(brute_force_members(dfa, len).size());
            const auto nonmembers =
                static_cast<uint64_t>(brute_force_members(dfa, len, false).size());
            ASSERT_EQ(sampler.count_members(len), BigUnsigned(members));
            ASSERT_EQ(sampler.count_nonmembers(len), BigUnsigned(nonmembers));
            ASSERT_EQ(per_length[len], BigUnsigned(members));
        }
    }
}

TEST(DfaSampler, LongLengthsAreExact) {
    const Alphabet abc = testing::letters(3);
    const DfaSampler sampler(regex_to_dfa("(a|b)*c.*", abc), 100);  // some 'c' occurs
    BigUnsigned all(1), no_c(1);  // 3^100 and 2^100 by repeated addition
    for (int i = 0; i < 100; ++i) {
        all = all + all + all;
        no_c += no_c;
    }
    EXPECT_EQ(sampler.count_members(100), all - no_c);
    EXPECT_EQ(sampler.count_nonmembers(100), no_c);
    EXPECT_EQ(sampler.count_nonmembers(100).to_string(), "1267650600228229401496703205376");
    EXPECT_THROW(sampler.count_members(101), std::out_of_range);
}

TEST(DfaSampler, UnrankingListsTheMembersInLexicographicOrder) {
    Rng rng(62);
    for (int trial = 0; trial < 20; ++trial) {
        const Dfa dfa = testing::random_dfa(rng, static_cast<State>(2 + uniform_below(rng, 6)), 2);
        const DfaSampler sampler(dfa, 6);
        for (bool members : {true, false}) {
            const std::vector<Word> expected = brute_force_members(dfa, 6, members);
            for (uint64_t r = 0; r < expected.size(); ++r) {
                const Word w = members ? sampler.unrank_member(6, BigUnsigned(r))
                                       : sampler.unrank_nonmember(6, BigUnsigned(r));
                ASSERT_EQ(w, expected[r]);
            }
            EXPECT_THROW(sampler.unrank_member(6, sampler.count_members(6)), std::out_of_range);
        }
    }
}

TEST(DfaSampler, SamplingIsUniformAndAWalkSamplerIsNot) {
    // At length 6: 32 words starting with 'b' and 2 starting with "aaaaa". A walk that picks
    // each viable next symbol with equal probability gives the two 'a' words 1/4 each.
    const Alphabet ab = testing::letters(2);
    const Dfa dfa = regex_to_dfa("b(a|b)*|aaaaa(a|b)", ab);
    const std::vector<Word> members = brute_force_members(dfa, 6);
    ASSERT_EQ(members.size(), 34U);
    const int draws = 200 * 34;
    const DfaSampler sampler(dfa, 6);
    Rng rng(63);
    std::map<Word, int> exact, walk;
    for (int i = 0; i < draws; ++i) {
        const std::optional<Word> w = sampler.sample_member(6, rng);
        ASSERT_TRUE(w && dfa.accepts(*w));
        ++exact[*w];
        Word prefix;  // the wrong sampler: uniform over viable next symbols
        while (prefix.size() < 6) {
            std::vector<Symbol> viable;
            for (Symbol s = 0; s < 2; ++s) {
                Word next = prefix;
                next.push_back(s);
                if (std::any_of(members.begin(), members.end(), [&](const Word& m) {
                        return std::equal(next.begin(), next.end(), m.begin());
                    })) {
                    viable.push_back(s);
                }
            }
            prefix.push_back(viable[uniform_below(rng, viable.size())]);
        }
        ++walk[prefix];
    }
    const double critical = chi_square_critical(members.size() - 1);
    EXPECT_LT(chi_square(exact, members.size(), draws), critical);
    EXPECT_GT(chi_square(walk, members.size(), draws), critical);
}

TEST(DfaSampler, RandomLanguagesSampleUniformly) {
    Rng rng(64);
    for (int trial = 0; trial < 5; ++trial) {
        const Dfa dfa = testing::random_dfa(rng, 6, 2);
        const DfaSampler sampler(dfa, 8);
        for (bool members : {true, false}) {
            const size_t categories = brute_force_members(dfa, 8, members).size();
            if (categories < 2) {
                continue;
            }
            const int draws = 100 * static_cast<int>(categories);
            std::map<Word, int> hist;
            for (int i = 0; i < draws; ++i) {
                const auto w =
                    members ? sampler.sample_member(8, rng) : sampler.sample_nonmember(8, rng);
                ASSERT_TRUE(w && dfa.accepts(*w) == members);
                ++hist[*w];
            }
            EXPECT_LT(chi_square(hist, categories, draws), chi_square_critical(categories - 1));
        }
    }
}

TEST(DfaSampler, EmptyCasesGiveNullopt) {
    const Alphabet ab = testing::letters(2);
    Rng rng(65);
    EXPECT_EQ(sample_member(regex_to_dfa("[^ab]", ab), 3, rng), std::nullopt);
    EXPECT_EQ(sample_nonmember(regex_to_dfa(".*", ab), 3, rng), std::nullopt);
    EXPECT_EQ(sample_member(regex_to_dfa("(aa)*", ab), 5, rng), std::nullopt);
    EXPECT_EQ(sample_member(regex_to_dfa("(aa)*", ab), 4, rng), (Word{0, 0, 0, 0}));
    EXPECT_EQ(sample_member(regex_to_dfa("", ab), 0, rng), Word{});
}

TEST(DfaSampler, SameSeedSameSamples) {
    const Dfa dfa = regex_to_dfa("(a|b)*abb(a|b)*", testing::letters(2));
    const DfaSampler sampler(dfa, 40);
    auto draw = [&](uint64_t seed) {
        Rng rng(seed);
        std::vector<std::string> out;
        for (int i = 0; i < 20; ++i) {
            out.push_back(dfa.alphabet().format_word(*sampler.sample_member(40, rng)));
            out.push_back(dfa.alphabet().format_word(*sampler.sample_nonmember(40, rng)));
        }
        return out;
    };
    const std::vector<std::string> first = draw(42);
    EXPECT_EQ(first, draw(42));
    EXPECT_NE(first, draw(43));
    // Pinned: a change here changes every dataset generated from a seed.
    EXPECT_EQ(first[0], "abbbbbababbbbaaabbaaabaaabbbaaaaabaaaabb");
    EXPECT_EQ(first[1], "bbbbbbbaababaababaaaababaabaaaababaaaaaa");
}

}  // namespace
}  // namespace statetrack::automata
