// The hand-built DFAs against their textual definitions, written here as string predicates
// (std::regex where the definition is a regex), on every word up to a length; and minimality
// against automata::minimize.
#include "tasks/builtin_dfas.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "automata/dfa_minimize.h"
#include "language_predicates.h"
#include "task_test_util.h"

namespace statetrack::tasks {
namespace {

using automata::Dfa;
using testing::bounded_dyck;
using testing::count;
using testing::Predicate;
using testing::regex_predicate;

std::string as_text(const Dfa& dfa, const automata::Word& w) {
    std::string s;
    for (automata::Symbol x : w) {
        s += dfa.alphabet().name(x);
    }
    return s;
}

// Checks every word of length 0..max_length.
void expect_language(const Dfa& dfa, const Predicate& member, size_t max_length) {
    for (size_t n = 0; n <= max_length; ++n) {
        for (const automata::Word& w : testing::all_words(dfa.alphabet().size(), n)) {
            const std::string s = as_text(dfa, w);
            ASSERT_EQ(dfa.accepts(w), member(s)) << "word '" << s << "'";
        }
    }
}

TEST(BuiltinDfas, DeletangTasksMatchTheirDefinitions) {
    expect_language(
        parity_dfa(), [](const std::string& s) { return count(s, '1') % 2 == 1; }, 12);
    expect_language(
        even_pairs_dfa(),
        [](const std::string& s) {
            int unequal = 0;
            for (size_t i = 0; i + 1 < s.size(); ++i) {
                unequal += s[i] != s[i + 1] ? 1 : 0;
            }
            return unequal % 2 == 1;
        },
        12);
    expect_language(
        cycle_navigation_dfa(),
        [](const std::string& s) {
            int position = 0;
            for (char c : s) {
                position += c - '1';  // '0' -> -1, '1' -> 0, '2' -> +1
            }
            return ((position % 5) + 5) % 5 == 0;
        },
        8);
}

TEST(BuiltinDfas, CycleNavigationStateIsThePosition) {
    const Dfa dfa = cycle_navigation_dfa();
    for (const automata::Word& w : testing::all_words(3, 6)) {
        int position = 0;
        for (automata::Symbol x : w) {
            position += x - 1;
        }
        EXPECT_EQ(dfa.state_name(dfa.run(w)), std::to_string(((position % 5) + 5) % 5));
    }
}

TEST(BuiltinDfas, TomitaGrammarsMatchTheirDefinitions) {
    for (int k = 1; k <= 7; ++k) {
        SCOPED_TRACE(k);
        expect_language(tomita_dfa(k), testing::tomita(k), 12);
    }
    EXPECT_THROW(tomita_dfa(0), std::invalid_argument);
    EXPECT_THROW(tomita_dfa(8), std::invalid_argument);
}

TEST(BuiltinDfas, Tomita3OnKnownWords) {
    // Spot checks of the run reading: "10" and "1000" have an odd 1-run then an odd 0-run.
    const Dfa dfa = tomita_dfa(3);
    const auto accepts = [&](const std::string& s) {
        return dfa.accepts(dfa.alphabet().parse_word(s));
    };
    EXPECT_FALSE(accepts("10"));
    EXPECT_FALSE(accepts("1000"));
    EXPECT_FALSE(accepts("0111010"));
    EXPECT_TRUE(accepts("100"));
    EXPECT_TRUE(accepts("1100"));
    EXPECT_TRUE(accepts("110"));
    EXPECT_TRUE(accepts("0001"));
}

TEST(BuiltinDfas, BoundedDyckMatchesAStack) {
    expect_language(
        dyck_dfa(2, 3), [](const std::string& s) { return bounded_dyck(s, "()[]", 3); }, 8);
    expect_language(
        dyck_dfa(1, 2), [](const std::string& s) { return bounded_dyck(s, "()", 2); }, 12);
    expect_language(
        dyck_dfa(3, 1), [](const std::string& s) { return bounded_dyck(s, "()[]{}", 1); }, 6);
    EXPECT_EQ(dyck_dfa(2, 3).num_states(), 1 + 2 + 4 + 8 + 1);
    EXPECT_THROW(dyck_dfa(5, 2), std::invalid_argument);
    EXPECT_THROW(dyck_dfa(2, 0), std::invalid_argument);
    EXPECT_THROW(dyck_dfa(4, 40), std::invalid_argument);
}

TEST(BuiltinDfas, FlaReAndBhattamishraLanguages) {
    expect_language(
        first_symbol_dfa(), [](const std::string& s) { return !s.empty() && s[0] == '1'; }, 10);
    expect_language(aa_star_dfa(), regex_predicate("(aa)*"), 12);
    expect_language(abab_star_dfa(), regex_predicate("(abab)*"), 12);
}

TEST(BuiltinDfas, FlipFlopRemembersTheLastWrite) {
    const Dfa dfa = flip_flop_dfa();
    for (const automata::Word& w : testing::all_words(4, 6)) {
        int memory = 0;
        for (automata::Symbol x : w) {
            const std::string& name = dfa.alphabet().name(x);
            if (name == "w0" || name == "w1") {
                memory = name[1] - '0';
            }
        }
        EXPECT_EQ(dfa.accepts(w), memory == 1);
    }
}

TEST(BuiltinDfas, AllAreMinimal) {
    const std::vector<Dfa> dfas = {
        parity_dfa(),   even_pairs_dfa(), cycle_navigation_dfa(), tomita_dfa(1), tomita_dfa(2),
        tomita_dfa(3),  tomita_dfa(4),    tomita_dfa(5),          tomita_dfa(6), tomita_dfa(7),
        dyck_dfa(2, 3), dyck_dfa(4, 2),   first_symbol_dfa(),     aa_star_dfa(), abab_star_dfa()};
    for (size_t i = 0; i < dfas.size(); ++i) {
        EXPECT_EQ(automata::minimize(dfas[i]).num_states(), dfas[i].num_states()) << "dfa #" << i;
    }
    // flip-flop's read and ignore act alike, so minimality is judged on the states only.
    EXPECT_EQ(automata::minimize(flip_flop_dfa()).num_states(), 2);
}

}  // namespace
}  // namespace statetrack::tasks
