// DfaSampler: exact counting of the words of each length that a DFA accepts (or rejects), and
// exact uniform sampling of such words.
// Counting: count[L][q] = number of words of length L leading from q to an accepting state,
// by the DP count[L][q] = sum over symbols s of count[L-1][step(q, s)], in BigUnsigned.
// Sampling: draw a rank uniformly below count[L][start] (BigUnsigned::uniform_below), then
// unrank it by walking the DFA: at each step take the first symbol (alphabet order) whose
// continuation count exceeds the remaining rank, subtracting the counts it skips. Each symbol
// is thus chosen with probability count_after / count_here, every word of the length is
// equally likely, and no floating point is involved: a seed gives the same words everywhere.
// Cost: tables of (max_length + 1) x num_states big integers, for members and for
// non-members, built once; a sample costs O(length x k) big-integer compares/subtractions.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "automata/big_unsigned.h"
#include "automata/dfa.h"
#include "automata/random.h"

namespace statetrack::automata {

class DfaSampler {
  public:
    DfaSampler(const Dfa& dfa, size_t max_length);

    size_t max_length() const { return max_length_; }
    // Words of exactly `length` symbols accepted / rejected by the DFA. Lengths above
    // max_length() throw std::out_of_range.
    const BigUnsigned& count_members(size_t length) const;
    const BigUnsigned& count_nonmembers(size_t length) const;

    // Uniform over the accepted (rejected) words of that length; nullopt when there are none.
    std::optional<Word> sample_member(size_t length, Rng& rng) const;
    std::optional<Word> sample_nonmember(size_t length, Rng& rng) const;

    // The member (non-member) of that length at 0-based `rank` in lexicographic order of
    // symbol indices; rank must be below the count (std::out_of_range otherwise).
    Word unrank_member(size_t length, BigUnsigned rank) const;
    Word unrank_nonmember(size_t length, BigUnsigned rank) const;

  private:
    using Table = std::vector<BigUnsigned>;  // [length * num_states + state]
    Table count_table(bool members) const;
    const BigUnsigned& at(const Table& table, size_t length, State q) const;
    Word unrank(const Table& table, size_t length, BigUnsigned rank) const;
    void check_length(size_t length) const;

    size_t num_states_;
    size_t k_;
    State start_;
    std::vector<State> transitions_;
    std::vector<bool> accepting_;
    size_t max_length_;
    Table members_;
    Table nonmembers_;
};

// One-off conveniences (each builds a DfaSampler; keep one for repeated use).
std::vector<BigUnsigned> count_members_per_length(const Dfa& dfa, size_t max_length);
std::optional<Word> sample_member(const Dfa& dfa, size_t length, Rng& rng);
std::optional<Word> sample_nonmember(const Dfa& dfa, size_t length, Rng& rng);

}  // namespace statetrack::automata
