// Modular arithmetic task and its direct evaluator. See modular_arithmetic_task.h.
#include "tasks/modular_arithmetic_task.h"

#include <fmt/format.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace statetrack::tasks {

namespace {

constexpr int kMinModulus = 2;
constexpr int kMaxModulus = 50;

int32_t apply_op(int32_t a, int32_t op, int32_t b, int m) {
    switch (op) {
        case 0:
            return (a + b) % m;
        case 1:
            return (a - b + m) % m;
        default:
            return (a * b) % m;
    }
}

std::string spec_of(int modulus, Evaluation evaluation) {
    return fmt::format(
        "{}:mod={}",
        evaluation == Evaluation::kPrecedence ? "modular_arithmetic" : "modular_arithmetic_ltr",
        modulus);
}

TaskInfo make_info(int m, Evaluation evaluation, Formulation formulation) {
    const std::string spec = spec_of(m, evaluation);
    if (m < kMinModulus || m > kMaxModulus) {
        throw std::invalid_argument(
            fmt::format("{}: mod={} is outside [{}, {}]", spec, m, kMinModulus, kMaxModulus));
    }
    if (formulation != Formulation::kFinalLabel) {
        throw std::invalid_argument(
            fmt::format("task '{}' does not support formulation {} (supported: final_label)", spec,
                        to_string(formulation)));
    }
    TaskInfo info;
    info.spec = spec;
    info.description =
        evaluation == Evaluation::kPrecedence
            ? "Value mod m of 'd op d ... d' with ops {+,-,*} and operator precedence, as "
              "Delétang et al. modular_arithmetic (Simple) and Grazzi et al.; answer at the last "
              "digit. Differs from FLaRe's left-to-right variant (modular_arithmetic_ltr)."
            : "Value mod m of 'd op d ... d' with ops {+,-,*} evaluated left to right without "
              "precedence, as FLaRe's modular-arithmetic-simple DFA (FLaRe recognises "
              "'expr = result' strings; here the value is the final label).";
    info.formulation = formulation;
    info.input_vocab.names = modular_arithmetic_alphabet(m).names();
    for (int v = 0; v < m; ++v) {
        info.output_vocab.names.push_back(std::to_string(v));
    }
    info.chance_level = 1.0 / m;
    info.length_rule = "odd lengths >= 1 (digit (op digit)*)";
    return info;
}

}  // namespace

automata::Alphabet modular_arithmetic_alphabet(int modulus) {
    std::vector<std::string> names;
    for (int d = 0; d < modulus; ++d) {
        names.push_back(std::to_string(d));
    }
    names.insert(names.end(), {"+", "-", "*"});
    return automata::Alphabet(std::move(names));
}

int32_t evaluate_modular_expression(const automata::Word& expression, int modulus,
                                    Evaluation evaluation) {
    const auto m = static_cast<int32_t>(modulus);
    const auto check = [&](size_t i) {
        const bool digit = expression[i] >= 0 && expression[i] < m;
        const bool op = expression[i] >= m && expression[i] < m + 3;
        if (i % 2 == 0 ? !digit : !op) {
            throw std::invalid_argument(
                fmt::format("modular expression: symbol {} at position {} should be {}",
                            expression[i], i, i % 2 == 0 ? "a digit" : "an operator"));
        }
    };
    if (expression.size() % 2 == 0) {
        throw std::invalid_argument(
            fmt::format("modular expression: length {} is even; expected digit (op digit)*",
                        expression.size()));
    }
    check(0);
    int32_t sum = 0;               // precedence: completed terms
    int32_t term = expression[0];  // precedence: current product; left to right: the value
    for (size_t i = 1; i < expression.size(); i += 2) {
        check(i);
        check(i + 1);
        const int32_t op = expression[i] - m;
        const int32_t digit = expression[i + 1];
        if (evaluation == Evaluation::kLeftToRight || op == 2) {
            term = apply_op(term, op, digit, modulus);
        } else {
            sum = (sum + term) % m;
            term = op == 0 ? digit : (m - digit) % m;
        }
    }
    return (sum + term) % m;
}

ModularArithmeticTask::ModularArithmeticTask(int modulus, Evaluation evaluation,
                                             Formulation formulation)
    : Task(make_info(modulus, evaluation, formulation)),
      modulus_(modulus),
      evaluation_(evaluation) {}

std::optional<automata::Dfa> ModularArithmeticTask::algebra_dfa() const {
    return modular_arithmetic_automaton(modulus_, evaluation_).dfa;
}

Example ModularArithmeticTask::sample_valid(int64_t length, automata::Rng& rng) const {
    const auto n = static_cast<size_t>(length);
    Example ex;
    ex.tokens.resize(n);
    for (size_t i = 0; i < n; ++i) {
        ex.tokens[i] = i % 2 == 0
                           ? static_cast<int32_t>(automata::uniform_below(rng, modulus_))
                           : static_cast<int32_t>(modulus_ + automata::uniform_below(rng, 3));
    }
    ex.targets.assign(n, kNoTarget);
    ex.loss_mask.assign(n, 0);
    ex.targets[n - 1] = evaluate_modular_expression(ex.tokens, modulus_, evaluation_);
    ex.loss_mask[n - 1] = 1;
    return ex;
}

}  // namespace statetrack::tasks
