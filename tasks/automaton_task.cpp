// AutomatonTask: DFA + formulation -> examples. See automaton_task.h for the formulations.
#include "tasks/automaton_task.h"

#include <fmt/format.h>

#include <limits>
#include <stdexcept>
#include <utility>

namespace statetrack::tasks {

namespace {

using automata::Dfa;
using automata::State;
using automata::Symbol;

const std::vector<std::string> kAcceptRejectNames = {"reject", "accept"};

void check_automaton(const std::string& spec, const LabelledAutomaton& a) {
    const Dfa& dfa = a.dfa;
    if (!a.symbol_weights.empty()) {
        if (a.symbol_weights.size() != dfa.alphabet().size()) {
            throw std::invalid_argument(fmt::format("task '{}': {} symbol weights for {} symbols",
                                                    spec, a.symbol_weights.size(),
                                                    dfa.alphabet().size()));
        }
        uint64_t total = 0;
        for (uint64_t w : a.symbol_weights) {
            if (w > std::numeric_limits<uint64_t>::max() - total) {
                throw std::invalid_argument(
                    fmt::format("task '{}': symbol weights overflow", spec));
            }
            total += w;
        }
        if (total == 0) {
            throw std::invalid_argument(fmt::format("task '{}': symbol weights sum to 0", spec));
        }
    }
    if (a.state_labels.empty() != a.label_names.empty()) {
        throw std::invalid_argument(
            fmt::format("task '{}': state labels and label names go together", spec));
    }
    if (!a.state_labels.empty() && a.state_labels.size() != static_cast<size_t>(dfa.num_states())) {
        throw std::invalid_argument(fmt::format("task '{}': {} state labels for {} states", spec,
                                                a.state_labels.size(), dfa.num_states()));
    }
    for (int32_t label : a.state_labels) {
        if (label < 0 || static_cast<size_t>(label) >= a.label_names.size()) {
            throw std::invalid_argument(fmt::format("task '{}': state label {} outside [0, {})",
                                                    spec, label, a.label_names.size()));
        }
    }
}

TaskInfo make_info(std::string spec, std::string description, const LabelledAutomaton& a,
                   Formulation formulation) {
    if (formulation == Formulation::kRecall) {
        throw std::invalid_argument(
            fmt::format("task '{}' does not support formulation recall (supported: state_tagging, "
                        "membership_tagging, final_label, final_state, recognition)",
                        spec));
    }
    check_automaton(spec, a);
    TaskInfo info;
    info.spec = std::move(spec);
    info.description = std::move(description);
    info.formulation = formulation;
    info.input_vocab.names = a.dfa.alphabet().names();
    switch (formulation) {
        case Formulation::kStateTagging:
        case Formulation::kFinalState:
            info.output_vocab.names = a.dfa.state_names();
            break;
        case Formulation::kFinalLabel:
            info.output_vocab.names = a.label_names.empty() ? kAcceptRejectNames : a.label_names;
            break;
        default:
            info.output_vocab.names = kAcceptRejectNames;
    }
    info.chance_level = 1.0 / static_cast<double>(info.output_vocab.size());
    info.length_rule = "any length >= 1";
    return info;
}

}  // namespace

AutomatonTask::AutomatonTask(std::string spec, std::string description, LabelledAutomaton automaton,
                             Formulation formulation)
    : Task(make_info(std::move(spec), std::move(description), automaton, formulation)),
      automaton_(std::move(automaton)) {
    uint64_t total = 0;
    for (uint64_t w : automaton_.symbol_weights) {
        total += w;
        cumulative_weights_.push_back(total);
    }
    if (formulation == Formulation::kRecognition) {
        recognition_ = std::make_unique<RecognitionSampler>(automaton_.dfa);
    }
}

Symbol AutomatonTask::draw_symbol(automata::Rng& rng) const {
    if (cumulative_weights_.empty()) {
        return static_cast<Symbol>(automata::uniform_below(rng, automaton_.dfa.alphabet().size()));
    }
    const uint64_t r = automata::uniform_below(rng, cumulative_weights_.back());
    Symbol s = 0;
    while (cumulative_weights_[static_cast<size_t>(s)] <= r) {
        ++s;
    }
    return s;
}

Example AutomatonTask::tagged_example(int64_t length, automata::Rng& rng) const {
    const Dfa& dfa = automaton_.dfa;
    const bool membership = formulation() == Formulation::kMembershipTagging;
    const size_t n = static_cast<size_t>(length);
    Example ex;
    ex.tokens.resize(n);
    ex.targets.resize(n);
    ex.loss_mask.assign(n, 1);
    State q = dfa.start();
    for (size_t t = 0; t < n; ++t) {
        const Symbol s = draw_symbol(rng);
        q = dfa.step(q, s);
        ex.tokens[t] = s;
        ex.targets[t] = membership ? (dfa.is_accepting(q) ? kAccept : kReject) : q;
    }
    return ex;
}

Example AutomatonTask::final_example(automata::Word word, int32_t target) const {
    Example ex;
    const size_t n = word.size();
    ex.tokens = std::move(word);
    ex.targets.assign(n, kNoTarget);
    ex.loss_mask.assign(n, 0);
    ex.targets[n - 1] = target;
    ex.loss_mask[n - 1] = 1;
    return ex;
}

Example AutomatonTask::sample_valid(int64_t length, automata::Rng& rng) const {
    const Dfa& dfa = automaton_.dfa;
    switch (formulation()) {
        case Formulation::kStateTagging:
        case Formulation::kMembershipTagging:
            return tagged_example(length, rng);
        case Formulation::kRecognition: {
            automata::Word word = recognition_->sample(length, rng).word;
            const int32_t target = dfa.accepts(word) ? kAccept : kReject;
            return final_example(std::move(word), target);
        }
        default:
            break;
    }
    automata::Word word(static_cast<size_t>(length));
    for (Symbol& s : word) {
        s = draw_symbol(rng);
    }
    const State q = dfa.run(word);
    int32_t target = q;
    if (formulation() == Formulation::kFinalLabel) {
        target = automaton_.state_labels.empty() ? (dfa.is_accepting(q) ? kAccept : kReject)
                                                 : automaton_.state_labels[static_cast<size_t>(q)];
    }
    return final_example(std::move(word), target);
}

}  // namespace statetrack::tasks
