// Frozen datasets: examples generated deterministically from (task spec, formulation, seed,
// split name, length range, count per length).
// Determinism: the examples of one length come from their own Rng, seeded by
// example_seed(seed, split, length), and are drawn in order. So a seed fixes every example bit
// for bit on any machine, a dataset over 1..40 holds exactly the length-1..10 examples of one
// over 1..10, asking for more per length only appends, and "train" and "test" of one seed are
// independent streams. Lengths the task rejects (even lengths for modular arithmetic) are
// skipped; a range with no valid length is an error.
// Layout: examples sorted by length, count_per_length of each valid length.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/length_range.h"
#include "tasks/formulation.h"
#include "tasks/task.h"

namespace statetrack::tasks {

using core::LengthRange;

// Delétang et al.'s protocol: train on U{1..40}, test on 41..500.
inline constexpr LengthRange kDeletangTrainLengths{1, 40};
inline constexpr LengthRange kDeletangTestLengths{41, 500};

// "40", "1-40" or "1..40". Throws std::invalid_argument on anything else, on min < 0 or
// min > max.
LengthRange parse_length_range(std::string_view text);

struct DatasetSpec {
    std::string task;  // spec string; generation replaces it by the canonical Task::name()
    Formulation formulation = Formulation::kFinalLabel;
    uint64_t seed = 0;
    std::string split = "test";
    LengthRange lengths;
    int64_t count_per_length = 1;
};

struct Dataset {
    DatasetSpec spec;
    Vocabulary input_vocab;
    Vocabulary output_vocab;
    std::vector<Example> examples;
};

uint64_t example_seed(uint64_t seed, std::string_view split, int64_t length);

// The most tokens one generated dataset may hold (sum over lengths of length x count); more is
// an std::invalid_argument with the estimate, before anything is generated.
inline constexpr double kMaxDatasetTokens = 2e8;

// Uses `task` as is (spec.task and spec.formulation are taken from it).
Dataset generate_dataset(const Task& task, DatasetSpec spec);
// Builds the task with make_task(spec.task, spec.formulation) first.
Dataset generate_dataset(const DatasetSpec& spec);

struct TrainTestSplit {
    Dataset train;  // split "train"
    Dataset test;   // split "test"
};
// One task, one seed, two streams. Overlapping ranges are allowed but then may share words
// (e.g. the few strings of a short length); disjoint ranges, as Delétang's, never do.
TrainTestSplit generate_split(const Task& task, uint64_t seed, LengthRange train_lengths,
                              int64_t train_count_per_length, LengthRange test_lengths,
                              int64_t test_count_per_length);

}  // namespace statetrack::tasks
