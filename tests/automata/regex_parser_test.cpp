// Regex parser: every malformed-pattern case gives its own one-line error with the position;
// random garbage never escapes as anything else; well-formed patterns give the expected trees.
#include "automata/regex_parser.h"

#include <gtest/gtest.h>

#include "automata/random.h"
#include "automata/regex.h"

namespace statetrack::automata {
namespace {

struct BadCase {
    const char* pattern;
    size_t position;
    const char* message;  // the full what()
};

TEST(RegexParser, MalformedPatternsNameThePositionAndTheProblem) {
    const std::vector<BadCase> cases = {
        {"(ab", 0, "regex '(ab': unclosed '(' opened at position 0"},
        {"a(b(c)", 1, "regex 'a(b(c)': unclosed '(' opened at position 1"},
        {"ab)", 2, "regex 'ab)': unmatched ')' at position 2"},
        {"*a", 0, "regex '*a': '*' at position 0 has nothing to repeat"},
        {"a|+b", 2, "regex 'a|+b': '+' at position 2 has nothing to repeat"},
        {"(?a)", 1, "regex '(?a)': '?' at position 1 has nothing to repeat"},
        {"{2}", 0, "regex '{2}': '{' at position 0 has nothing to repeat"},
        {"a**", 2,
         "regex 'a**': quantifier '*' at position 2 follows another quantifier; use a "
         "group, e.g. (a*)?"},
        {"a{2}?", 4,
         "regex 'a{2}?': quantifier '?' at position 4 follows another quantifier; use "
         "a group, e.g. (a*)?"},
        {"a{", 1,
         "regex 'a{': malformed repetition at position 1: expected {m}, {m,} or {m,n} "
         "with decimal m, n"},
        {"a{x}", 1,
         "regex 'a{x}': malformed repetition at position 1: expected {m}, {m,} or "
         "{m,n} with decimal m, n"},
        {"a{,3}", 1,
         "regex 'a{,3}': malformed repetition at position 1: expected {m}, {m,} or "
         "{m,n} with decimal m, n"},
        {"a{2,3", 1,
         "regex 'a{2,3': malformed repetition at position 1: expected {m}, {m,} or "
         "{m,n} with decimal m, n"},
        {"a{3,2}", 1, "regex 'a{3,2}': repetition {3,2} at position 1 has min > max"},
        {"a{1001}", 2,
         "regex 'a{1001}': repetition count 1001 at position 2 exceeds the limit 1000"},
        {"a{1,99999999999999999999}", 4,
         "regex 'a{1,99999999999999999999}': repetition count 99999999999999999999 at position 4 "
         "exceeds the limit 1000"},
        {"[ab", 0, "regex '[ab': unclosed '[' opened at position 0"},
        {"x[]", 1, "regex 'x[]': empty character class at position 1"},
        {"[^]", 0, "regex '[^]': empty character class at position 0"},
        {"[c-a]", 1, "regex '[c-a]': reversed range 'c-a' at position 1 in a character class"},
        {"ab\\", 2, "regex 'ab\\': trailing '\\' at position 2 escapes nothing"},
        {"\\d", 0,
         "regex '\\d': unknown escape '\\d' at position 0 (only punctuation can be "
         "escaped, e.g. \\. \\* \\\\ \\( \\[)"},
        {"a]", 1, "regex 'a]': unescaped ']' at position 1 (write \\] for a literal)"},
        {"a}", 1, "regex 'a}': unescaped '}' at position 1 (write \\} for a literal)"},
        {"^a", 0,
         "regex '^a': anchor '^' at position 0 is not supported (a regex always matches "
         "the whole string; write \\^ for a literal)"},
        {"a$", 1,
         "regex 'a$': anchor '$' at position 1 is not supported (a regex always matches "
         "the whole string; write \\$ for a literal)"},
        {"a\nb", 1, "regex 'a\\x0ab': character 0x0a at position 1 is not printable ASCII"},
    };
    for (const BadCase& c : cases) {
        try {
            parse_regex(c.pattern);
            ADD_FAILURE() << "no error for " << c.pattern;
        } catch (const RegexError& e) {
            EXPECT_STREQ(e.what(), c.message);
            EXPECT_EQ(e.position(), c.position) << c.pattern;
        }
    }
}

TEST(RegexParser, UnknownSymbolsAreQuotedEscapedAndTheAlphabetListIsBounded) {
    const std::string nul("a\0b", 3);
    try {
        Alphabet::from_chars("ab").parse_word(nul);
        FAIL() << "accepted a NUL";
    } catch (const std::invalid_argument& e) {
        EXPECT_STREQ(e.what(), "unknown symbol '\\x00' (alphabet: a b)");
    }
    std::vector<std::string> many;
    for (int i = 0; i < 100; ++i) {
        many.push_back("s" + std::to_string(i));
    }
    try {
        Alphabet(many).parse_word("s1 \x1b[2J");
        FAIL() << "accepted an escape sequence";
    } catch (const std::invalid_argument& e) {
        const std::string what = e.what();
        EXPECT_EQ(what.rfind("unknown symbol '\\x1b[2J' (alphabet: s0 s1 ", 0), 0u) << what;
        EXPECT_NE(what.find("s23 ... 100 symbols)"), std::string::npos) << what;
    }
}

TEST(RegexParser, RegexErrorIsAnInvalidArgument) {
    EXPECT_THROW(regex_to_dfa("(", Alphabet::from_chars("a")), std::invalid_argument);
}

TEST(RegexParser, DeepNestingIsAnErrorNotAStackOverflow) {
    const std::string deep = std::string(100000, '(') + "a" + std::string(100000, ')');
    try {
        parse_regex(deep);
        FAIL() << "expected RegexError";
    } catch (const RegexError& e) {
        EXPECT_EQ(e.position(), static_cast<size_t>(kMaxGroupDepth));
        // The message names the pattern by its start and length, not by 200 KB of it.
        const std::string what = e.what();
        EXPECT_LT(what.size(), 300u) << what;
        EXPECT_EQ(what.rfind("regex '" + std::string(80, '(') + "...' (200001 characters): ", 0),
                  0u)
            << what;
    }
    const std::string ok =
        std::string(kMaxGroupDepth, '(') + "a" + std::string(kMaxGroupDepth, ')');
    EXPECT_TRUE(regex_to_dfa(ok).accepts({0}));
}

TEST(RegexParser, RandomGarbageGivesRegexErrorOrADfa) {
    // Any input either compiles or throws RegexError; nothing else escapes.
    const std::string pieces = "ab()|*+?{}[]^$-.,\\0123 ";
    Rng rng(71);
    int errors = 0;
    for (int i = 0; i < 3000; ++i) {
        std::string pattern(uniform_below(rng, 12), ' ');
        for (char& c : pattern) {
            c = pieces[uniform_below(rng, pieces.size())];
        }
        try {
            const Dfa dfa = regex_to_dfa(pattern, Alphabet::from_chars("ab "));
            EXPECT_GE(dfa.num_states(), 1);
        } catch (const RegexError& e) {
            ++errors;
            EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
        }
    }
    EXPECT_GT(errors, 100);
    EXPECT_LT(errors, 3000);
}

TEST(RegexParser, TreeShapes) {
    const RegexNode alt = parse_regex("ab|c*|");
    ASSERT_EQ(alt.kind, RegexNode::Kind::kAlternation);
    ASSERT_EQ(alt.children.size(), 3U);
    EXPECT_EQ(alt.children[0].kind, RegexNode::Kind::kConcat);
    EXPECT_EQ(alt.children[1].kind, RegexNode::Kind::kRepeat);
    EXPECT_EQ(alt.children[1].position, 4U);
    EXPECT_EQ(alt.children[1].max, kUnbounded);
    EXPECT_EQ(alt.children[2].kind, RegexNode::Kind::kEmpty);

    const RegexNode rep = parse_regex("(ab){2,5}");
    ASSERT_EQ(rep.kind, RegexNode::Kind::kRepeat);
    EXPECT_EQ(rep.min, 2);
    EXPECT_EQ(rep.max, 5);
    EXPECT_EQ(rep.children.at(0).kind, RegexNode::Kind::kConcat);

    const RegexNode cls = parse_regex("[^-a-c\\]-]");
    ASSERT_EQ(cls.kind, RegexNode::Kind::kChars);
    EXPECT_TRUE(cls.chars.negated);
    ASSERT_EQ(cls.chars.items.size(), 4U);  // '-', a-c, ']', '-'
    EXPECT_EQ(cls.chars.items[0].lo, '-');
    EXPECT_TRUE(cls.chars.items[1].is_range);
    EXPECT_EQ(cls.chars.items[1].hi, 'c');
    EXPECT_EQ(cls.chars.items[2].lo, ']');
    EXPECT_EQ(cls.chars.items[3].lo, '-');

    EXPECT_EQ(parse_regex("").kind, RegexNode::Kind::kEmpty);
    EXPECT_EQ(parse_regex("()").kind, RegexNode::Kind::kEmpty);
    EXPECT_EQ(parse_regex("a{3,}").max, kUnbounded);
    EXPECT_EQ(regex_literal_chars(parse_regex("b[d-f]\\.a")), ".abdef");
}

}  // namespace
}  // namespace statetrack::automata
