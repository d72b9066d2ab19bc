// The DFAs behind modular arithmetic, for algebraic classification. See
// modular_arithmetic_task.h; the task's labels come from the evaluator, not from here.
#include <fmt/format.h>

#include <string>
#include <utility>
#include <vector>

#include "tasks/modular_arithmetic_task.h"

namespace statetrack::tasks {

namespace {

using automata::State;

// Precedence: E(S, P) = S*m + P (expecting a digit), A(S, T) = m^2 + S*m + T (after a digit),
// sink = 2m^2. The value of a complete expression is S + T.
LabelledAutomaton precedence_automaton(int m) {
    const State sink = 2 * m * m;
    const auto E = [m](int s, int p) { return static_cast<State>(s * m + p); };
    const auto A = [m](int s, int t) { return static_cast<State>(m * m + s * m + t); };
    std::vector<int32_t> labels(2 * m * m + 1, 0);
    std::vector<std::string> names(2 * m * m + 1, "sink");
    std::vector<bool> accepting(2 * m * m + 1, false);
    std::vector<State> table;
    for (int s = 0; s < m; ++s) {
        for (int p = 0; p < m; ++p) {
            names[E(s, p)] = fmt::format("E({},{})", s, p);
            for (int d = 0; d < m; ++d) {
                table.push_back(A(s, (p * d) % m));
            }
            table.insert(table.end(), 3, sink);
        }
    }
    for (int s = 0; s < m; ++s) {
        for (int t = 0; t < m; ++t) {
            names[A(s, t)] = fmt::format("A({},{})", s, t);
            accepting[A(s, t)] = (s + t) % m == 0;
            labels[A(s, t)] = (s + t) % m;
            table.insert(table.end(), m, sink);
            table.push_back(E((s + t) % m, 1));      // '+'
            table.push_back(E((s + t) % m, m - 1));  // '-'
            table.push_back(E(s, t));                // '*'
        }
    }
    table.insert(table.end(), m + 3, sink);
    return {
        automata::Dfa(modular_arithmetic_alphabet(m), sink + 1, E(0, 1), accepting, table, names),
        {},
        labels,
        {}};
}

// Left to right: A(v) = v (after a digit), E(v, op) = m + 3v + op (expecting a digit),
// sink = 4m; start = E(0, '+').
LabelledAutomaton left_to_right_automaton(int m) {
    const State sink = 4 * m;
    const auto E = [m](int v, int op) { return static_cast<State>(m + 3 * v + op); };
    std::vector<int32_t> labels(4 * m + 1, 0);
    std::vector<std::string> names(4 * m + 1, "sink");
    std::vector<bool> accepting(4 * m + 1, false);
    std::vector<State> table;
    for (int v = 0; v < m; ++v) {
        names[v] = fmt::format("A({})", v);
        accepting[v] = v == 0;
        labels[v] = v;
        table.insert(table.end(), m, sink);
        for (int op = 0; op < 3; ++op) {
            table.push_back(E(v, op));
        }
    }
    for (int v = 0; v < m; ++v) {
        for (int op = 0; op < 3; ++op) {
            names[E(v, op)] = fmt::format("E({},{})", v, "+-*"[op]);
            for (int d = 0; d < m; ++d) {
                const int value = op == 0 ? v + d : op == 1 ? v - d + m : v * d;
                table.push_back(static_cast<State>(value % m));
            }
            table.insert(table.end(), 3, sink);
        }
    }
    table.insert(table.end(), m + 3, sink);
    return {
        automata::Dfa(modular_arithmetic_alphabet(m), sink + 1, E(0, 0), accepting, table, names),
        {},
        labels,
        {}};
}

}  // namespace

LabelledAutomaton modular_arithmetic_automaton(int modulus, Evaluation evaluation) {
    LabelledAutomaton out = evaluation == Evaluation::kPrecedence
                                ? precedence_automaton(modulus)
                                : left_to_right_automaton(modulus);
    for (int v = 0; v < modulus; ++v) {
        out.label_names.push_back(std::to_string(v));
    }
    return out;
}

}  // namespace statetrack::tasks
