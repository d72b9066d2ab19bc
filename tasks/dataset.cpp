// Deterministic dataset generation. See dataset.h.
#include "tasks/dataset.h"

#include <fmt/format.h>

#include <optional>
#include <stdexcept>

#include "core/checksum.h"
#include "core/parse_number.h"
#include "tasks/task_catalogue.h"

namespace statetrack::tasks {

namespace {

uint64_t splitmix64(uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

bool parse_int(std::string_view text, int64_t& out) {
    const std::optional<int64_t> value = core::parse_number<int64_t>(text);
    out = value.value_or(out);
    return value.has_value();
}

}  // namespace

LengthRange parse_length_range(std::string_view text) {
    LengthRange r;
    size_t sep = text.find("..");
    size_t skip = 2;
    if (sep == std::string_view::npos) {
        sep = text.find('-', 1);  // position 0 would be a sign
        skip = 1;
    }
    bool ok = false;
    if (sep == std::string_view::npos) {
        ok = parse_int(text, r.min);
        r.max = r.min;
    } else {
        ok = parse_int(text.substr(0, sep), r.min) && parse_int(text.substr(sep + skip), r.max);
    }
    if (!ok) {
        throw std::invalid_argument(
            fmt::format("length range '{}' is not N, MIN-MAX or MIN..MAX with integers", text));
    }
    if (r.min < 0 || r.min > r.max) {
        throw std::invalid_argument(fmt::format("length range '{}' needs 0 <= min <= max", text));
    }
    return r;
}

uint64_t example_seed(uint64_t seed, std::string_view split, int64_t length) {
    core::Fnv1a64 h;
    h.add_string(split);
    uint64_t x = splitmix64(seed);
    x = splitmix64(x ^ h.value());
    return splitmix64(x ^ static_cast<uint64_t>(length));
}

Dataset generate_dataset(const Task& task, DatasetSpec spec) {
    if (spec.count_per_length < 1) {
        throw std::invalid_argument(
            fmt::format("dataset: count per length {} must be >= 1", spec.count_per_length));
    }
    if (spec.lengths.min < 0 || spec.lengths.min > spec.lengths.max) {
        throw std::invalid_argument(fmt::format("dataset: length range {}-{} is empty",
                                                spec.lengths.min, spec.lengths.max));
    }
    // Tokens of the whole dataset (sum of lengths x count), in memory before it is written.
    const double n_lo = static_cast<double>(spec.lengths.min);
    const double n_hi = static_cast<double>(spec.lengths.max);
    const double tokens = (n_lo + n_hi) * (n_hi - n_lo + 1.0) / 2.0 * spec.count_per_length;
    if (tokens > kMaxDatasetTokens) {
        throw std::invalid_argument(fmt::format(
            "dataset: lengths {}-{} x {} per length are ~{:.2e} tokens, above the limit {:.0e}",
            spec.lengths.min, spec.lengths.max, spec.count_per_length, tokens, kMaxDatasetTokens));
    }
    spec.task = task.name();
    spec.formulation = task.formulation();
    Dataset data{spec, task.input_vocab(), task.output_vocab(), {}};
    for (int64_t n = spec.lengths.min; n <= spec.lengths.max; ++n) {
        if (!task.valid_length(n)) {
            continue;
        }
        automata::Rng rng(example_seed(spec.seed, spec.split, n));
        for (int64_t i = 0; i < spec.count_per_length; ++i) {
            data.examples.push_back(task.sample(n, rng));
        }
    }
    if (data.examples.empty()) {
        throw std::invalid_argument(
            fmt::format("dataset: task '{}' accepts no length in {}-{} (allowed: {})", task.name(),
                        spec.lengths.min, spec.lengths.max, task.length_rule()));
    }
    return data;
}

Dataset generate_dataset(const DatasetSpec& spec) {
    const auto task = make_task(spec.task, spec.formulation);
    return generate_dataset(*task, spec);
}

TrainTestSplit generate_split(const Task& task, uint64_t seed, LengthRange train_lengths,
                              int64_t train_count_per_length, LengthRange test_lengths,
                              int64_t test_count_per_length) {
    DatasetSpec train{task.name(), task.formulation(), seed,
                      "train",     train_lengths,      train_count_per_length};
    DatasetSpec test{task.name(), task.formulation(), seed,
                     "test",      test_lengths,       test_count_per_length};
    return {generate_dataset(task, train), generate_dataset(task, test)};
}

}  // namespace statetrack::tasks
