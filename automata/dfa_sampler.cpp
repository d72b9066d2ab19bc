// Exact counting and uniform sampling. See dfa_sampler.h for the method and the contract.
#include "automata/dfa_sampler.h"

#include <fmt/format.h>

#include <stdexcept>

namespace statetrack::automata {

DfaSampler::DfaSampler(const Dfa& dfa, size_t max_length)
    : num_states_(static_cast<size_t>(dfa.num_states())),
      k_(dfa.alphabet().size()),
      start_(dfa.start()),
      transitions_(dfa.table()),
      accepting_(dfa.accepting()),
      max_length_(max_length),
      members_(count_table(true)),
      nonmembers_(count_table(false)) {}

DfaSampler::Table DfaSampler::count_table(bool members) const {
    Table table((max_length_ + 1) * num_states_);
    const BigUnsigned one(1);
    for (size_t q = 0; q < num_states_; ++q) {
        if (accepting_[q] == members) {
            table[q] = one;
        }
    }
    for (size_t len = 1; len <= max_length_; ++len) {
        const BigUnsigned* prev = &table[(len - 1) * num_states_];
        BigUnsigned* cur = &table[len * num_states_];
        for (size_t q = 0; q < num_states_; ++q) {
            for (size_t s = 0; s < k_; ++s) {
                cur[q] += prev[static_cast<size_t>(transitions_[q * k_ + s])];
            }
        }
    }
    return table;
}

void DfaSampler::check_length(size_t length) const {
    if (length > max_length_) {
        throw std::out_of_range(fmt::format(
            "dfa sampler: length {} exceeds the max_length {} the sampler was built for", length,
            max_length_));
    }
}

const BigUnsigned& DfaSampler::at(const Table& table, size_t length, State q) const {
    return table[length * num_states_ + static_cast<size_t>(q)];
}

const BigUnsigned& DfaSampler::count_members(size_t length) const {
    check_length(length);
    return at(members_, length, start_);
}

const BigUnsigned& DfaSampler::count_nonmembers(size_t length) const {
    check_length(length);
    return at(nonmembers_, length, start_);
}

Word DfaSampler::unrank(const Table& table, size_t length, BigUnsigned rank) const {
    check_length(length);
    if (rank >= at(table, length, start_)) {
        throw std::out_of_range(fmt::format("dfa sampler: rank {} is not below the count {}",
                                            rank.to_string(),
                                            at(table, length, start_).to_string()));
    }
    Word word;
    word.reserve(length);
    State q = start_;
    for (size_t remaining = length; remaining > 0; --remaining) {
        for (size_t s = 0;; ++s) {
            // Cannot run past k_: the counts of q's successors sum to count[remaining][q] > rank.
            const State to = transitions_[static_cast<size_t>(q) * k_ + s];
            const BigUnsigned& c = at(table, remaining - 1, to);
            if (rank < c) {
                word.push_back(static_cast<Symbol>(s));
                q = to;
                break;
            }
            rank -= c;
        }
    }
    return word;
}

Word DfaSampler::unrank_member(size_t length, BigUnsigned rank) const {
    return unrank(members_, length, std::move(rank));
}

Word DfaSampler::unrank_nonmember(size_t length, BigUnsigned rank) const {
    return unrank(nonmembers_, length, std::move(rank));
}

std::optional<Word> DfaSampler::sample_member(size_t length, Rng& rng) const {
    const BigUnsigned& count = count_members(length);
    if (count.is_zero()) {
        return std::nullopt;
    }
    return unrank(members_, length, uniform_below(rng, count));
}

std::optional<Word> DfaSampler::sample_nonmember(size_t length, Rng& rng) const {
    const BigUnsigned& count = count_nonmembers(length);
    if (count.is_zero()) {
        return std::nullopt;
    }
    return unrank(nonmembers_, length, uniform_below(rng, count));
}

std::vector<BigUnsigned> count_members_per_length(const Dfa& dfa, size_t max_length) {
    const DfaSampler sampler(dfa, max_length);
    std::vector<BigUnsigned> counts;
    for (size_t len = 0; len <= max_length; ++len) {
        counts.push_back(sampler.count_members(len));
    }
    return counts;
}

std::optional<Word> sample_member(const Dfa& dfa, size_t length, Rng& rng) {
    return DfaSampler(dfa, length).sample_member(length, rng);
}

std::optional<Word> sample_nonmember(const Dfa& dfa, size_t length, Rng& rng) {
    return DfaSampler(dfa, length).sample_nonmember(length, rng);
}

}  // namespace statetrack::automata
