// Modular arithmetic without brackets: "d op d op ... d", value mod m, final label.
//   precedence     Delétang modular_arithmetic ("Simple") and Grazzi/xLSTM: '*' binds tighter
//                  than '+' and '-' (a - b * c = a - (b c)); m = 5 in both.
//   left_to_right  FLaRe modular-arithmetic-simple: ((d op d) op d) ..., no precedence.
// Alphabet: digits "0".."m-1" (symbols 0..m-1), then "+", "-", "*" (symbols m, m+1, m+2).
// Inputs: odd length n; digits uniform at even positions, operators uniform at odd positions.
// Delétang's code turns an even length into n-1 (their paper says n+1); here an even length is
// rejected by sample(), so a dataset never holds a length other than the one asked for.
// Labels come from evaluate_modular_expression(), a direct evaluator; the DFA of
// modular_arithmetic_dfa() exists for algebraic classification (tests check the two agree).
// Differences: Delétang has a 9-symbol input (an unused '_'); Grazzi appends '=' and the answer
// as tokens, with PAD = 0 and digits shifted to 5..9; FLaRe recognises "expr = result" strings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "automata/alphabet.h"
#include "automata/dfa.h"
#include "tasks/automaton_task.h"
#include "tasks/task.h"

namespace statetrack::tasks {

enum class Evaluation { kPrecedence, kLeftToRight };

automata::Alphabet modular_arithmetic_alphabet(int modulus);

// Value in [0, m) of a well-formed expression over modular_arithmetic_alphabet(m). Throws
// std::invalid_argument naming the position of a misplaced symbol.
int32_t evaluate_modular_expression(const automata::Word& expression, int modulus,
                                    Evaluation evaluation);

// A DFA over modular_arithmetic_alphabet(m) accepting well-formed expressions whose value is 0;
// its state labels give the value of every complete expression (label names "0".."m-1").
// Precedence: states (expecting a digit: sum S, pending product P), (after a digit: S, term T),
// and a sink; 2m^2 + 1 states, all reachable and pairwise distinguishable. Left to right:
// (after a digit: value), (expecting a digit: value, pending operator), sink; 4m + 1 states.
LabelledAutomaton modular_arithmetic_automaton(int modulus, Evaluation evaluation);

class ModularArithmeticTask final : public Task {
  public:
    // modulus in [2, 50]; the only formulation is final_label (anything else throws).
    ModularArithmeticTask(int modulus, Evaluation evaluation, Formulation formulation);

    int modulus() const { return modulus_; }
    Evaluation evaluation() const { return evaluation_; }
    bool valid_length(int64_t length) const override { return length >= 1 && length % 2 == 1; }
    std::optional<automata::Dfa> algebra_dfa() const override;

  protected:
    Example sample_valid(int64_t length, automata::Rng& rng) const override;

  private:
    int modulus_;
    Evaluation evaluation_;
};

}  // namespace statetrack::tasks
