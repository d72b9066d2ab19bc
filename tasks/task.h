// Task: a supervised sequence task sampled one Example at a time.
// Contract for every Example of length n (n = the length asked for; no token is ever added):
//   tokens.size() == targets.size() == loss_mask.size() == n
//   tokens[t] in [0, input_vocab.size())
//   loss_mask[t] == 1  =>  targets[t] in [0, output_vocab.size())
//   loss_mask[t] == 0  =>  targets[t] == kNoTarget (-1), so a harness that forgets the mask fails
//                          loudly instead of training on class 0.
// Final-label tasks put their single target at the LAST input position: a causal model has read
// the whole input there. (Delétang appends a blank query token and Grazzi an '=' token; both read
// the answer after the last symbol, as we do, without the extra token.) Padding and BOS ids are
// the batcher's business: they are not part of input_vocab.
// Lengths: valid_length() says which n a task accepts (length_rule() in words); sample() throws
// std::invalid_argument for any other n, never silently changes it. Tasks are immutable: sample()
// is const and safe to call from many threads, each with its own Rng.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "automata/dfa.h"
#include "automata/random.h"
#include "tasks/formulation.h"

namespace statetrack::tasks {

// An unscored position. Batches carry it into their int64 targets (harness/training/batch.h),
// and the training loss ignores it.
inline constexpr int32_t kNoTarget = -1;

struct Example {
    std::vector<int32_t> tokens;
    std::vector<int32_t> targets;
    std::vector<uint8_t> loss_mask;

    bool operator==(const Example& o) const {
        return tokens == o.tokens && targets == o.targets && loss_mask == o.loss_mask;
    }
    bool operator!=(const Example& o) const { return !(*this == o); }
};

// Names of input tokens or output classes; the index is the id.
struct Vocabulary {
    std::vector<std::string> names;
    size_t size() const { return names.size(); }
};

// Everything a task says about itself; fixed at construction.
struct TaskInfo {
    std::string spec;         // canonical spec string, parameters filled in (task_catalogue.h)
    std::string description;  // source definition and differences from other anchors
    Formulation formulation = Formulation::kFinalLabel;
    Vocabulary input_vocab;
    Vocabulary output_vocab;
    // Accuracy of a label-blind guess: 1/C for C equally likely classes (Grazzi's scaled accuracy
    // is (acc - chance) / (1 - chance)). Recognition is balanced, so 1/2.
    double chance_level = 0.0;
    std::string length_rule;  // e.g. "any length >= 1", "odd lengths >= 1"
};

class Task {
  public:
    explicit Task(TaskInfo info);
    virtual ~Task() = default;
    Task(const Task&) = delete;
    Task& operator=(const Task&) = delete;

    const TaskInfo& info() const { return info_; }
    const std::string& name() const { return info_.spec; }
    const std::string& description() const { return info_.description; }
    Formulation formulation() const { return info_.formulation; }
    const Vocabulary& input_vocab() const { return info_.input_vocab; }
    const Vocabulary& output_vocab() const { return info_.output_vocab; }
    double chance_level() const { return info_.chance_level; }
    const std::string& length_rule() const { return info_.length_rule; }

    virtual bool valid_length(int64_t length) const = 0;
    // Throws std::invalid_argument naming the task, the length and the rule when
    // !valid_length(length).
    Example sample(int64_t length, automata::Rng& rng) const;
    // The DFA whose syntactic monoid classifies the task (pass it to automata::minimize, then
    // automata::classify); nullopt when the task is not a fixed regular language (MQAR).
    virtual std::optional<automata::Dfa> algebra_dfa() const = 0;

  protected:
    virtual Example sample_valid(int64_t length, automata::Rng& rng) const = 0;

  private:
    TaskInfo info_;
};

// Two lines for people ("input:  0 1 1" / "target: _ _ odd", "_" where masked), symbols and
// classes by name.
std::string format_example(const Task& task, const Example& example);

}  // namespace statetrack::tasks
