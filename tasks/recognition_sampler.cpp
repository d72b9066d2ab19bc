// Balanced member / non-member sampling. See recognition_sampler.h for the exact mixture.
#include "tasks/recognition_sampler.h"

#include <algorithm>
#include <utility>

namespace statetrack::tasks {

namespace {

// Tables start at this length and double, so a dataset over 1..500 rebuilds them ~4 times.
constexpr size_t kInitialTableLength = 64;

}  // namespace

RecognitionSampler::RecognitionSampler(automata::Dfa dfa) : dfa_(std::move(dfa)) {}

std::shared_ptr<const automata::DfaSampler> RecognitionSampler::sampler_for(size_t length) const {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!sampler_ || sampler_->max_length() < length) {
        size_t reach = sampler_ ? sampler_->max_length() : kInitialTableLength;
        while (reach < length) {
            reach *= 2;
        }
        sampler_ = std::make_shared<const automata::DfaSampler>(dfa_, reach);
    }
    return sampler_;
}

std::optional<automata::Word> RecognitionSampler::member(size_t length, automata::Rng& rng) const {
    return sampler_for(length)->sample_member(length, rng);
}

std::optional<automata::Word> RecognitionSampler::uniform_nonmember(size_t length,
                                                                    automata::Rng& rng) const {
    return sampler_for(length)->sample_nonmember(length, rng);
}

std::optional<automata::Word> RecognitionSampler::near_miss(size_t length,
                                                            automata::Rng& rng) const {
    const size_t k = dfa_.alphabet().size();
    for (int attempt = 0; attempt < kNearMissAttempts; ++attempt) {
        const uint64_t edit = automata::uniform_below(rng, 3);  // substitute, insert, delete
        if ((length == 0 && edit != 2) || (edit == 0 && k == 1)) {
            continue;  // nothing to substitute or insert into, or no other symbol
        }
        const size_t source_length = edit == 0 ? length : edit == 1 ? length - 1 : length + 1;
        std::optional<automata::Word> word = member(source_length, rng);
        if (!word) {
            continue;
        }
        if (edit == 0) {
            const size_t at = automata::uniform_below(rng, length);
            auto other = static_cast<automata::Symbol>(automata::uniform_below(rng, k - 1));
            (*word)[at] = other >= (*word)[at] ? other + 1 : other;
        } else if (edit == 1) {
            const size_t at = automata::uniform_below(rng, length);  // length slots in n-1 symbols
            const auto symbol = static_cast<automata::Symbol>(automata::uniform_below(rng, k));
            word->insert(word->begin() + static_cast<std::ptrdiff_t>(at), symbol);
        } else {
            const size_t at = automata::uniform_below(rng, length + 1);
            word->erase(word->begin() + static_cast<std::ptrdiff_t>(at));
        }
        if (!dfa_.accepts(*word)) {
            return word;
        }
    }
    return std::nullopt;
}

RecognitionSampler::Draw RecognitionSampler::sample(int64_t length, automata::Rng& rng) const {
    const auto n = static_cast<size_t>(std::max<int64_t>(length, 0));
    if (automata::bernoulli(rng, 1, 2)) {
        if (auto word = member(n, rng)) {
            return {std::move(*word), Kind::kMember};
        }
    }
    if (automata::bernoulli(rng, 1, 2)) {
        if (auto word = near_miss(n, rng)) {
            return {std::move(*word), Kind::kNearMiss};
        }
    }
    if (auto word = uniform_nonmember(n, rng)) {
        return {std::move(*word), Kind::kUniformNonmember};
    }
    // No non-member of this length exists, so a member does.
    return {std::move(*member(n, rng)), Kind::kMember};
}

}  // namespace statetrack::tasks
