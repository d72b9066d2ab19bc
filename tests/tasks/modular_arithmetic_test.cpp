// Modular arithmetic: labels against a shunting-yard (two-stack) evaluator written here, the
// classification DFAs against both evaluators on every short expression, and the length rule.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "automata/dfa_minimize.h"
#include "task_test_util.h"
#include "tasks/modular_arithmetic_task.h"
#include "tasks/task_catalogue.h"

namespace statetrack::tasks {
namespace {

using automata::Rng;
using automata::Word;

// Two-stack evaluation of a digit/operator string such as "3-2*4". With precedence, '*' binds
// tighter; without, all operators have one level (so it folds left to right).
int two_stack_value(const std::string& text, int m, bool precedence) {
    std::vector<long> values;
    std::vector<char> ops;
    const auto level = [&](char op) { return precedence && op == '*' ? 2 : 1; };
    const auto reduce = [&] {
        const long b = values.back();
        values.pop_back();
        const long a = values.back();
        const char op = ops.back();
        ops.pop_back();
        const long r = op == '+' ? a + b : op == '-' ? a - b : a * b;
        values.back() = ((r % m) + m) % m;
    };
    for (char c : text) {
        if (c >= '0' && c <= '9') {
            values.push_back(c - '0');
            continue;
        }
        while (!ops.empty() && level(ops.back()) >= level(c)) {
            reduce();
        }
        ops.push_back(c);
    }
    while (!ops.empty()) {
        reduce();
    }
    return static_cast<int>(values.back());
}

std::string text_of(const Word& w, int m) {
    std::string s;
    for (automata::Symbol x : w) {
        s += x < m ? static_cast<char>('0' + x) : "+-*"[x - m];
    }
    return s;
}

// Every well-formed expression with `digits` digits.
std::vector<Word> expressions(int m, int digits) {
    std::vector<Word> out{Word{}};
    for (int i = 0; i < digits; ++i) {
        std::vector<Word> next;
        for (const Word& w : out) {
            for (int op = 0; op < (i == 0 ? 1 : 3); ++op) {
                for (int d = 0; d < m; ++d) {
                    Word longer = w;
                    if (i > 0) {
                        longer.push_back(m + op);
                    }
                    longer.push_back(d);
                    next.push_back(longer);
                }
            }
        }
        out.swap(next);
    }
    return out;
}

TEST(ModularArithmetic, KnownValues) {
    const auto a = modular_arithmetic_alphabet(5);
    EXPECT_EQ(evaluate_modular_expression(a.parse_word("3-2*4"), 5, Evaluation::kPrecedence), 0);
    EXPECT_EQ(evaluate_modular_expression(a.parse_word("3-2*4"), 5, Evaluation::kLeftToRight), 4);
    EXPECT_EQ(evaluate_modular_expression(a.parse_word("4*4*4+1"), 5, Evaluation::kPrecedence), 0);
    EXPECT_EQ(evaluate_modular_expression(a.parse_word("2"), 5, Evaluation::kPrecedence), 2);
    EXPECT_THROW(evaluate_modular_expression(a.parse_word("2+"), 5, Evaluation::kPrecedence),
                 std::invalid_argument);
    EXPECT_THROW(evaluate_modular_expression(a.parse_word("2++3"), 5, Evaluation::kPrecedence),
                 std::invalid_argument);
}

TEST(ModularArithmetic, SampledLabelsMatchTheTwoStackEvaluator) {
    for (const char* spec : {"modular_arithmetic", "modular_arithmetic_ltr:mod=7"}) {
        const auto task = make_task(spec);
        const auto& mt = dynamic_cast<const ModularArithmeticTask&>(*task);
        const bool precedence = mt.evaluation() == Evaluation::kPrecedence;
        Rng rng(21);
        for (int64_t n = 1; n <= 201; n += 2) {
            const Example ex = task->sample(n, rng);
            ASSERT_TRUE(testing::example_ok(*task, ex, n));
            const std::string text = text_of(ex.tokens, mt.modulus());
            EXPECT_EQ(ex.targets.back(), two_stack_value(text, mt.modulus(), precedence)) << text;
            EXPECT_EQ(ex.loss_mask.back(), 1);
        }
    }
}

TEST(ModularArithmetic, DfaLabelsAgreeWithTheEvaluatorOnEveryShortExpression) {
    for (Evaluation e : {Evaluation::kPrecedence, Evaluation::kLeftToRight}) {
        const LabelledAutomaton a = modular_arithmetic_automaton(5, e);
        for (int digits = 1; digits <= 4; ++digits) {
            for (const Word& w : expressions(5, digits)) {
                const int value = two_stack_value(text_of(w, 5), 5, e == Evaluation::kPrecedence);
                const automata::State q = a.dfa.run(w);
                ASSERT_EQ(a.state_labels[static_cast<size_t>(q)], value) << text_of(w, 5);
                ASSERT_EQ(a.dfa.is_accepting(q), value == 0);
            }
        }
    }
}

TEST(ModularArithmetic, DfaRejectsMalformedWords) {
    const LabelledAutomaton a = modular_arithmetic_automaton(5, Evaluation::kPrecedence);
    for (size_t n = 0; n <= 4; ++n) {
        for (const Word& w : testing::all_words(8, n)) {
            bool well_formed = n % 2 == 1;
            for (size_t i = 0; i < n; ++i) {
                well_formed = well_formed && ((i % 2 == 0) == (w[i] < 5));
            }
            if (!well_formed) {
                EXPECT_FALSE(a.dfa.accepts(w)) << text_of(w, 5);
            }
        }
    }
}

TEST(ModularArithmetic, PrecedenceDfaIsMinimalWithTheDocumentedSize) {
    const automata::Dfa dfa = modular_arithmetic_automaton(5, Evaluation::kPrecedence).dfa;
    EXPECT_EQ(dfa.num_states(), 2 * 5 * 5 + 1);
    EXPECT_EQ(automata::minimize(dfa).num_states(), dfa.num_states());
    EXPECT_EQ(modular_arithmetic_automaton(5, Evaluation::kLeftToRight).dfa.num_states(), 21);
}

TEST(ModularArithmetic, EvenLengthsAreRejected) {
    const auto task = make_task("modular_arithmetic");
    EXPECT_EQ(task->name(), "modular_arithmetic:mod=5");
    EXPECT_FALSE(task->valid_length(10));
    EXPECT_TRUE(task->valid_length(11));
    Rng rng(1);
    EXPECT_EQ(testing::error_of([&] { task->sample(10, rng); }),
              "task 'modular_arithmetic:mod=5': length 10 is not valid (allowed: odd lengths "
              ">= 1 (digit (op digit)*))");
}

TEST(ModularArithmetic, BadParametersAndFormulations) {
    EXPECT_THROW(make_task("modular_arithmetic:mod=1"), std::invalid_argument);
    EXPECT_THROW(make_task("modular_arithmetic:mod=51"), std::invalid_argument);
    EXPECT_EQ(testing::task_error("modular_arithmetic", Formulation::kStateTagging),
              "task 'modular_arithmetic' does not support formulation state_tagging "
              "(supported: final_label)");
}

}  // namespace
}  // namespace statetrack::tasks
