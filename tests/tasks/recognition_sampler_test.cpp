// RecognitionSampler: members and uniform non-members are uniform (chi-square over the exact
// sets, found by enumeration), with a naive random-walk sampler failing the same test to show it
// has power; near-misses are one edit from a member; the mixture has the documented shares.
#include "tasks/recognition_sampler.h"

#include <gtest/gtest.h>

#include <map>

#include "task_test_util.h"
#include "tasks/builtin_dfas.h"

namespace statetrack::tasks {
namespace {

using automata::Dfa;
using automata::Rng;
using automata::Word;

// Draws `per_word` times the number of words and returns the chi-square statistic of the counts
// over exactly `support`; a draw outside the support fails the test.
template <typename Draw>
double chi_square_over(const std::vector<Word>& support, int per_word, Draw draw) {
    std::map<Word, int64_t> counts;
    for (const Word& w : support) {
        counts[w] = 0;
    }
    for (size_t i = 0; i < support.size() * static_cast<size_t>(per_word); ++i) {
        const Word w = draw();
        auto it = counts.find(w);
        EXPECT_NE(it, counts.end()) << "drawn word outside the support";
        if (it != counts.end()) {
            ++it->second;
        }
    }
    std::vector<int64_t> values;
    for (const auto& [w, c] : counts) {
        values.push_back(c);
    }
    return testing::chi_square(values, per_word);
}

std::vector<Word> words_where(const Dfa& dfa, size_t n, bool accepted) {
    std::vector<Word> out;
    for (const Word& w : testing::all_words(dfa.alphabet().size(), n)) {
        if (dfa.accepts(w) == accepted) {
            out.push_back(w);
        }
    }
    return out;
}

// The tempting but biased sampler: walk the DFA choosing uniformly among the symbols after
// which an accepted completion of the right length still exists (checked by enumeration).
Word random_walk_member(const Dfa& dfa, size_t n, Rng& rng) {
    Word w;
    for (size_t t = 0; t < n; ++t) {
        std::vector<automata::Symbol> viable;
        for (automata::Symbol s = 0; s < static_cast<automata::Symbol>(dfa.alphabet().size());
             ++s) {
            const automata::State q = dfa.step(dfa.run(w), s);
            for (const Word& rest : testing::all_words(dfa.alphabet().size(), n - t - 1)) {
                if (dfa.is_accepting(dfa.run(rest, q))) {
                    viable.push_back(s);
                    break;
                }
            }
        }
        w.push_back(viable[automata::uniform_below(rng, viable.size())]);
    }
    return w;
}

TEST(RecognitionSampler, MembersAreUniform) {
    const Dfa dfa = tomita_dfa(4);
    const RecognitionSampler sampler(dfa);
    const std::vector<Word> members = words_where(dfa, 6, true);
    ASSERT_EQ(members.size(), 44u);  // tribonacci: words of length 6 without 000
    const double limit = testing::chi_square_limit(43);
    Rng rng(61);
    EXPECT_LT(chi_square_over(members, 150, [&] { return *sampler.member(6, rng); }), limit);
    Rng walk_rng(61);
    EXPECT_GT(chi_square_over(members, 150, [&] { return random_walk_member(dfa, 6, walk_rng); }),
              limit)
        << "the test cannot tell a biased sampler from a uniform one";
}

TEST(RecognitionSampler, UniformNonmembersAreUniform) {
    const Dfa dfa = tomita_dfa(4);
    const RecognitionSampler sampler(dfa);
    const std::vector<Word> nonmembers = words_where(dfa, 6, false);
    ASSERT_EQ(nonmembers.size(), 20u);
    Rng rng(62);
    EXPECT_LT(chi_square_over(nonmembers, 300, [&] { return *sampler.uniform_nonmember(6, rng); }),
              testing::chi_square_limit(19));
}

// True when some single substitution, insertion or deletion of `w` is accepted.
bool one_edit_from_a_member(const Dfa& dfa, const Word& w) {
    const auto k = static_cast<automata::Symbol>(dfa.alphabet().size());
    for (size_t i = 0; i <= w.size(); ++i) {
        for (automata::Symbol s = 0; s < k; ++s) {
            Word inserted = w;
            inserted.insert(inserted.begin() + static_cast<std::ptrdiff_t>(i), s);
            if (dfa.accepts(inserted)) {
                return true;
            }
            if (i < w.size()) {
                Word substituted = w;
                substituted[i] = s;
                if (dfa.accepts(substituted)) {
                    return true;
                }
            }
        }
        if (i < w.size()) {
            Word erased = w;
            erased.erase(erased.begin() + static_cast<std::ptrdiff_t>(i));
            if (dfa.accepts(erased)) {
                return true;
            }
        }
    }
    return false;
}

TEST(RecognitionSampler, NearMissesAreOneEditFromAMember) {
    for (const Dfa& dfa : {tomita_dfa(3), tomita_dfa(5), dyck_dfa(2, 3), abab_star_dfa()}) {
        const RecognitionSampler sampler(dfa);
        Rng rng(63);
        int found = 0;
        for (int rep = 0; rep < 200; ++rep) {
            const std::optional<Word> w = sampler.near_miss(8, rng);
            if (!w) {
                continue;
            }
            ++found;
            EXPECT_EQ(w->size(), 8u);
            EXPECT_FALSE(dfa.accepts(*w));
            EXPECT_TRUE(one_edit_from_a_member(dfa, *w));
        }
        EXPECT_GT(found, 150);
    }
}

TEST(RecognitionSampler, MixtureShares) {
    const RecognitionSampler sampler(tomita_dfa(4));
    Rng rng(64);
    std::map<RecognitionSampler::Kind, int> kinds;
    const int n = 8000;
    for (int rep = 0; rep < n; ++rep) {
        const RecognitionSampler::Draw d = sampler.sample(12, rng);
        EXPECT_EQ(sampler.dfa().accepts(d.word), d.kind == RecognitionSampler::Kind::kMember);
        ++kinds[d.kind];
    }
    // Binomial standard deviations: sqrt(8000/4) ~ 45 and sqrt(8000 * 3/16) ~ 39; allow 4.5 sigma.
    EXPECT_NEAR(kinds[RecognitionSampler::Kind::kMember], n / 2, 200);
    EXPECT_NEAR(kinds[RecognitionSampler::Kind::kNearMiss], n / 4, 180);
    EXPECT_NEAR(kinds[RecognitionSampler::Kind::kUniformNonmember], n / 4, 180);
}

TEST(RecognitionSampler, FallsBackWhenAClassIsEmpty) {
    // Everything accepted: only members. Nothing accepted: only uniform non-members.
    const automata::Alphabet ab = automata::Alphabet::from_chars("ab");
    const RecognitionSampler all(Dfa(ab, 1, 0, {true}, {0, 0}));
    const RecognitionSampler none(Dfa(ab, 1, 0, {false}, {0, 0}));
    Rng rng(65);
    for (int rep = 0; rep < 50; ++rep) {
        EXPECT_EQ(all.sample(5, rng).kind, RecognitionSampler::Kind::kMember);
        EXPECT_EQ(none.sample(5, rng).kind, RecognitionSampler::Kind::kUniformNonmember);
    }
    EXPECT_FALSE(none.member(5, rng).has_value());
    EXPECT_FALSE(none.near_miss(5, rng).has_value());
}

TEST(RecognitionSampler, WordsDoNotDependOnTableGrowth) {
    // One sampler grows its tables from 64 to 512 between draws; a fresh one starts at 512.
    const RecognitionSampler grown(tomita_dfa(6));
    const RecognitionSampler fresh(tomita_dfa(6));
    Rng warm(1);
    fresh.member(500, warm);
    Rng a(66), b(66);
    for (size_t n : {5, 60, 200, 500}) {
        EXPECT_EQ(grown.sample(static_cast<int64_t>(n), a).word,
                  fresh.sample(static_cast<int64_t>(n), b).word);
    }
}

}  // namespace
}  // namespace statetrack::tasks
