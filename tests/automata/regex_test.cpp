// regex_to_dfa against std::regex (ECMAScript, regex_match) as the independent oracle, on
// random and hand-written patterns; known minimal DFA sizes; alphabet handling.
#include "automata/regex.h"

#include <gtest/gtest.h>

#include <regex>

#include "automata/dfa_product.h"
#include "automata_testing.h"

namespace statetrack::automata {
namespace {

using testing::words_up_to;

// Every word up to the longest length L with k^L <= 300, plus random words of length 7..12.
std::vector<std::string> probe_strings(const Alphabet& alphabet, Rng& rng) {
    size_t max_len = 0;
    for (size_t words = alphabet.size(); words <= 300; words *= alphabet.size()) {
        ++max_len;
    }
    std::vector<std::string> out;
    for (const Word& w : words_up_to(alphabet.size(), max_len)) {
        out.push_back(alphabet.format_word(w));
    }
    for (int i = 0; i < 60; ++i) {
        Word w(7 + uniform_below(rng, 6));
        for (Symbol& s : w) {
            s = static_cast<Symbol>(uniform_below(rng, alphabet.size()));
        }
        out.push_back(alphabet.format_word(w));
    }
    return out;
}

void expect_agrees_with_std_regex(const std::string& pattern, const Alphabet& alphabet, Rng& rng) {
    SCOPED_TRACE("pattern: " + pattern);
    const Dfa dfa = regex_to_dfa(pattern, alphabet);
    const Nfa nfa = regex_to_nfa(pattern, alphabet);
    const std::regex reference(pattern, std::regex::ECMAScript);
    for (const std::string& text : probe_strings(alphabet, rng)) {
        const Word word = alphabet.parse_word(text);
        const bool expected = std::regex_match(text, reference);
        ASSERT_EQ(dfa.accepts(word), expected) << "word '" << text << "'";
        ASSERT_EQ(nfa.accepts(word), expected) << "nfa, word '" << text << "'";
    }
}

// The message of the RegexError `f` throws, or "(no error)" (testing/error_of.h).
template <typename F>
std::string regex_error_of(F&& f) {
    return statetrack::testing::error_of<RegexError>(std::forward<F>(f));
}

TEST(Regex, RandomPatternsAgreeWithStdRegex) {
    Rng rng(20240611);
    for (const std::string chars : {"ab", "abc"}) {
        testing::RandomRegex random_regex(rng, chars);
        for (int i = 0; i < 150; ++i) {
            expect_agrees_with_std_regex(random_regex(1 + static_cast<int>(i % 4)),
                                         Alphabet::from_chars(chars), rng);
        }
    }
}

TEST(Regex, HandWrittenPatternsAgreeWithStdRegex) {
    Rng rng(7);
    const Alphabet ab = Alphabet::from_chars("ab");
    for (const char* pattern : {"",
                                "a",
                                "(a|b)*abb",
                                "(a|)",
                                "(|a)b",
                                "a|",
                                "|",
                                "()",
                                "()*",
                                "(a*)*",
                                "(a|b)*a(a|b){2}",
                                "a{0}",
                                "a{0,0}b",
                                "a{2,}",
                                "(ab){1,3}",
                                "[ab]{3}",
                                "[^a]*",
                                "[a-b]+a?",
                                ".*b.*",
                                "((a|b)(a|b))*",
                                "a*b*a*",
                                "(aa|bb|ab|ba)*",
                                "(a+b?)+",
                                "b(a|)*b"}) {
        expect_agrees_with_std_regex(pattern, ab, rng);
    }
    const Alphabet punct = Alphabet::from_chars(".*\\(a");
    for (const char* pattern : {"\\.\\*", "(\\\\|\\()*a", "[\\.\\*]+", "\\(+\\.?"}) {
        expect_agrees_with_std_regex(pattern, punct, rng);
    }
}

TEST(Regex, KnownMinimalSizes) {
    const Alphabet a = Alphabet::from_chars("a");
    const Alphabet ab = Alphabet::from_chars("ab");
    EXPECT_EQ(regex_to_dfa("(a|b)*abb").num_states(), 4);
    EXPECT_EQ(regex_to_dfa("(aa)*", a).num_states(), 2);
    EXPECT_EQ(regex_to_dfa("(a{3})*", a).num_states(), 3);
    EXPECT_EQ(regex_to_dfa("(ab)*", ab).num_states(), 3);        // with the sink
    EXPECT_EQ(regex_to_dfa("a*(ba*ba*)*", ab).num_states(), 2);  // even number of b's
    EXPECT_EQ(regex_to_dfa("((a|b){5})*", ab).num_states(), 5);
    EXPECT_EQ(regex_to_dfa("", ab).num_states(), 2);
    EXPECT_EQ(regex_to_dfa(".*", ab).num_states(), 1);
    EXPECT_EQ(regex_to_dfa("[^ab]", ab).num_states(), 1);  // empty language: just the sink
    // The n-th symbol from the end is an 'a': 2^(n) states, a classic subset blow-up.
    for (int n = 1; n <= 6; ++n) {
        const std::string pattern = "(a|b)*a(a|b){" + std::to_string(n - 1) + "}";
        EXPECT_EQ(regex_to_dfa(pattern).num_states(), 1 << n) << pattern;
    }
}

TEST(Regex, MinimalDfaIsCanonicalAcrossEquivalentPatterns) {
    const Alphabet ab = Alphabet::from_chars("ab");
    const std::vector<std::pair<const char*, const char*>> same = {
        {"(a|b)*", "(a*b*)*"}, {"(ab)*a", "a(ba)*"}, {"a{2,4}", "aaa?a?"}, {"[ab]", "a|b"},
        {"(a|)b", "ab|b"},     {"a+", "aa*"},        {"[^a]", "b"},        {"a{0,}", "a*"}};
    for (const auto& [x, y] : same) {
        const Dfa dx = regex_to_dfa(x, ab);
        const Dfa dy = regex_to_dfa(y, ab);
        EXPECT_TRUE(testing::same_dfa(dx, dy)) << x << " vs " << y;
    }
    EXPECT_FALSE(testing::same_dfa(regex_to_dfa("a*", ab), regex_to_dfa("a+", ab)));
}

TEST(Regex, InferredAlphabetIsTheSortedSetOfNamedCharacters) {
    EXPECT_EQ(infer_regex_alphabet("(c|a)*b").names(), (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(infer_regex_alphabet("[x-z]\\.").names(),
              (std::vector<std::string>{".", "x", "y", "z"}));
    const Dfa dfa = regex_to_dfa("b.");  // '.' ranges over the inferred {b}
    EXPECT_EQ(dfa.alphabet().names(), std::vector<std::string>{"b"});
    EXPECT_TRUE(dfa.accepts({0, 0}));
    EXPECT_THROW(infer_regex_alphabet(".*"), RegexError);
    EXPECT_THROW(regex_to_dfa("()"), RegexError);
}

TEST(Regex, AlphabetProblemsAreNamed) {
    const Alphabet ab = Alphabet::from_chars("ab");
    try {
        regex_to_dfa("ab*c", ab);
        FAIL() << "expected RegexError";
    } catch (const RegexError& e) {
        EXPECT_STREQ(e.what(),
                     "regex 'ab*c': symbol 'c' at position 3 is not in the alphabet [a, b]");
        EXPECT_EQ(e.position(), 3U);
    }
    EXPECT_THROW(regex_to_dfa("[ac]", ab), RegexError);
    // A range only selects the alphabet symbols inside it, so it may reach beyond the alphabet.
    EXPECT_EQ(regex_to_dfa("[a-z]", ab).num_states(), 3);
    EXPECT_THROW(regex_to_dfa("a", Alphabet({"a", "bb"})), RegexError);
}

TEST(Regex, SizeLimitsGiveClearErrors) {
    const Alphabet ab = Alphabet::from_chars("ab");
    const std::string nfa_limit = regex_error_of([&] { regex_to_dfa("((a{1000}){1000})", ab); });
    EXPECT_NE(nfa_limit.find("NFA states at position 10"), std::string::npos) << nfa_limit;
    const std::string dfa_limit =
        regex_error_of([&] { regex_to_dfa("(a|b)*a(a|b){12}", ab, 1000); });
    EXPECT_NE(dfa_limit.find("more than 1000 DFA states"), std::string::npos) << dfa_limit;
    // Found by fuzzing: few DFA states, each a subset of thousands of NFA states (took over 10 s
    // under the sanitizers); now bounded by the work of the construction.
    const std::string visits =
        regex_error_of([] { regex_to_dfa("(f*e|lb~3|(|A){2,52}e||b~){2,52}"); });
    EXPECT_NE(visits.find("NFA-state visits after"), std::string::npos) << visits;
    // Large counts within the limits are fine and exact.
    const Dfa big = regex_to_dfa("a{1000}", Alphabet::from_chars("a"));
    EXPECT_EQ(big.num_states(), 1002);
    EXPECT_TRUE(big.accepts(Word(1000, 0)));
    EXPECT_FALSE(big.accepts(Word(999, 0)));
}

}  // namespace
}  // namespace statetrack::automata
