// DOT export: exact text for a small automaton (doublecircles, merged parallel edges, start
// arrow) and escaping of awkward names.
#include "automata/dfa_dot.h"

#include <gtest/gtest.h>

#include "automata_testing.h"

namespace statetrack::automata {
namespace {

TEST(DfaDot, SmallAutomatonExactText) {
    // q0 -a,b-> q1 ; q1 -a-> q1, q1 -b-> q0 ; q1 accepting.
    const Dfa dfa(testing::letters(2), 2, 0, {false, true}, {1, 1, 1, 0}, {"q0", "q1"});
    EXPECT_EQ(dfa_to_dot(dfa, "even"),
              "digraph \"even\" {\n"
              "  rankdir=LR;\n"
              "  node [shape=circle];\n"
              "  start [shape=point, label=\"\"];\n"
              "  start -> s0;\n"
              "  s0 [label=\"q0\"];\n"
              "  s1 [label=\"q1\", shape=doublecircle];\n"
              "  s0 -> s1 [label=\"a,b\"];\n"
              "  s1 -> s0 [label=\"b\"];\n"
              "  s1 -> s1 [label=\"a\"];\n"
              "}\n");
}

TEST(DfaDot, NamesAreEscaped) {
    const Dfa dfa(Alphabet({"\"", "(1 2)"}), 1, 0, {true}, {0, 0}, {"say \"hi\"\\"});
    const std::string dot = dfa_to_dot(dfa);
    EXPECT_NE(dot.find("s0 [label=\"say \\\"hi\\\"\\\\\", shape=doublecircle];"), std::string::npos)
        << dot;
    EXPECT_NE(dot.find("s0 -> s0 [label=\"\\\",(1 2)\"];"), std::string::npos) << dot;
}

}  // namespace
}  // namespace statetrack::automata
