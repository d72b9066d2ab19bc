// TrainingData (see training_data.h).

#include "harness/training/training_data.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "automata/random.h"
#include "tasks/dataset.h"

namespace statetrack::harness {
namespace {

// Fisher-Yates over automata::uniform_below (std::shuffle's output is implementation-defined).
template <typename T>
void shuffle(std::vector<T>& v, automata::Rng& rng) {
    for (size_t i = v.size(); i > 1; --i) {
        std::swap(v[i - 1], v[automata::uniform_below(rng, i)]);
    }
}

}  // namespace

int64_t per_length_count(int64_t total, size_t lengths) {
    const auto n = static_cast<int64_t>(std::max<size_t>(lengths, 1));
    return std::max<int64_t>(1, (total + n - 1) / n);
}

std::string token_key(const std::vector<int32_t>& tokens) {
    return std::string(reinterpret_cast<const char*>(tokens.data()),
                       tokens.size() * sizeof(int32_t));
}

TrainingData::TrainingData(const tasks::Task& task, const TaskRunConfig& config, uint64_t seed,
                           int64_t batch_size)
    : task_(task), config_(config), seed_(seed), batch_size_(batch_size) {
    for (int64_t n = config.train_lengths.min; n <= config.train_lengths.max; ++n) {
        if (task.valid_length(n)) {
            lengths_.push_back(n);
        }
    }
    if (lengths_.empty()) {
        throw std::invalid_argument(fmt::format("task '{}' accepts no train length in [{}, {}]",
                                                task.name(), config.train_lengths.min,
                                                config.train_lengths.max));
    }
    // A split over the train lengths: `total` examples spread evenly over the valid ones.
    const auto examples_of = [&](const char* split, int64_t total) {
        const tasks::DatasetSpec spec{
            task.name(), task.formulation(),   seed,
            split,       config.train_lengths, per_length_count(total, lengths_.size())};
        return tasks::generate_dataset(task, spec).examples;
    };
    if (config.dataset == DatasetMode::kFixed) {
        train_set_ = examples_of("train", config.train_examples);
        by_length_.resize(lengths_.size());
        for (size_t i = 0; i < train_set_.size(); ++i) {
            const auto n = static_cast<int64_t>(train_set_[i].tokens.size());
            const size_t slot = static_cast<size_t>(
                std::lower_bound(lengths_.begin(), lengths_.end(), n) - lengths_.begin());
            by_length_[slot].push_back(i);
            train_inputs_.insert(token_key(train_set_[i].tokens));
        }
        for (const auto& bucket : by_length_) {
            const auto b = static_cast<size_t>(batch_size_);
            batches_per_epoch_ += (bucket.size() + b - 1) / b;
        }
    }
    std::vector<tasks::Example> all = examples_of("validation", config.validation_examples);
    for (tasks::Example& e : all) {
        if (!is_training_input(e.tokens)) {
            validation_.push_back(e);
        }
    }
    if (validation_.empty()) {
        validation_ = std::move(all);
    }
}

bool TrainingData::is_training_input(const std::vector<int32_t>& tokens) const {
    return !train_inputs_.empty() && train_inputs_.count(token_key(tokens)) > 0;
}

void TrainingData::plan_epoch(int64_t epoch) {
    automata::Rng rng(tasks::example_seed(seed_, "train-epoch", epoch));
    epoch_batches_.clear();
    for (std::vector<size_t> bucket : by_length_) {
        shuffle(bucket, rng);
        for (size_t start = 0; start < bucket.size(); start += static_cast<size_t>(batch_size_)) {
            const size_t end = std::min(bucket.size(), start + static_cast<size_t>(batch_size_));
            epoch_batches_.emplace_back(bucket.begin() + static_cast<std::ptrdiff_t>(start),
                                        bucket.begin() + static_cast<std::ptrdiff_t>(end));
        }
    }
    shuffle(epoch_batches_, rng);
    planned_epoch_ = epoch;
}

std::vector<tasks::Example> TrainingData::examples(int64_t step) {
    std::vector<tasks::Example> out;
    if (config_.dataset == DatasetMode::kFixed) {
        const auto n = static_cast<int64_t>(batches_per_epoch_);
        if (step / n != planned_epoch_) {
            plan_epoch(step / n);
        }
        for (size_t i : epoch_batches_[static_cast<size_t>(step % n)]) {
            out.push_back(train_set_[i]);
        }
        return out;
    }
    automata::Rng rng(tasks::example_seed(seed_, "train-step", static_cast<int64_t>(step)));
    const int64_t length = lengths_[automata::uniform_below(rng, lengths_.size())];
    out.reserve(static_cast<size_t>(batch_size_));
    for (int64_t i = 0; i < batch_size_; ++i) {
        out.push_back(task_.sample(length, rng));
    }
    return out;
}

Batch TrainingData::batch(int64_t step) { return make_batch(examples(step)); }

}  // namespace statetrack::harness
