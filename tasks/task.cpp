// Task: the length check shared by every task. See task.h.
#include "tasks/task.h"

#include <fmt/format.h>

#include <stdexcept>
#include <utility>

namespace statetrack::tasks {

Task::Task(TaskInfo info) : info_(std::move(info)) {}

Example Task::sample(int64_t length, automata::Rng& rng) const {
    if (!valid_length(length)) {
        throw std::invalid_argument(fmt::format("task '{}': length {} is not valid (allowed: {})",
                                                info_.spec, length, info_.length_rule));
    }
    return sample_valid(length, rng);
}

std::string format_example(const Task& task, const Example& example) {
    std::string input = "input: ";
    std::string target = "target:";
    for (size_t t = 0; t < example.tokens.size(); ++t) {
        input += ' ' + task.input_vocab().names.at(static_cast<size_t>(example.tokens[t]));
        target += ' ';
        target += example.loss_mask[t]
                      ? task.output_vocab().names.at(static_cast<size_t>(example.targets[t]))
                      : "_";
    }
    return input + '\n' + target;
}

}  // namespace statetrack::tasks
