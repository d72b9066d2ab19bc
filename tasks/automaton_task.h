// AutomatonTask: a DFA (optionally with a label per state) turned into a task by a Formulation.
// Formulations, for an input w = w_1..w_n (n >= 1) and q_t = the state after w_1..w_t:
//   state_tagging       targets[t] = q_t                     classes = DFA state names
//   membership_tagging  targets[t] = accept(q_t)             classes = {reject, accept}
//   final_label         targets[n-1] = label(q_n), rest masked; classes = the label names
//                       (default: label = accept/reject, classes {reject, accept})
//   final_state         targets[n-1] = q_n, rest masked      classes = DFA state names
//   recognition         w drawn by RecognitionSampler (balanced members/non-members of length n),
//                       targets[n-1] = accept(q_n)           classes = {reject, accept}
// Inputs of the first four are i.i.d. symbols, uniform (Delétang, Merrill) unless the automaton
// carries integer symbol weights (flip-flop's sparse writes); integer weights keep sampling exact.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "automata/dfa.h"
#include "tasks/recognition_sampler.h"
#include "tasks/task.h"

namespace statetrack::tasks {

// Class ids of the accept/reject formulations.
inline constexpr int32_t kReject = 0;
inline constexpr int32_t kAccept = 1;

struct LabelledAutomaton {
    automata::Dfa dfa;
    // One integer weight per symbol for the i.i.d. formulations; empty = uniform.
    std::vector<uint64_t> symbol_weights;
    // final_label class of every state and the class names; both empty = reject/accept.
    std::vector<int32_t> state_labels;
    std::vector<std::string> label_names;
};

class AutomatonTask final : public Task {
  public:
    // Throws std::invalid_argument for the recall formulation or inconsistent weights/labels.
    AutomatonTask(std::string spec, std::string description, LabelledAutomaton automaton,
                  Formulation formulation);

    bool valid_length(int64_t length) const override { return length >= 1; }
    std::optional<automata::Dfa> algebra_dfa() const override { return automaton_.dfa; }
    const LabelledAutomaton& automaton() const { return automaton_; }

  protected:
    Example sample_valid(int64_t length, automata::Rng& rng) const override;

  private:
    automata::Symbol draw_symbol(automata::Rng& rng) const;
    Example tagged_example(int64_t length, automata::Rng& rng) const;
    Example final_example(automata::Word word, int32_t target) const;

    LabelledAutomaton automaton_;
    std::vector<uint64_t> cumulative_weights_;         // empty = uniform
    std::unique_ptr<RecognitionSampler> recognition_;  // only for the recognition formulation
};

}  // namespace statetrack::tasks
