// RecognitionSampler: words of one length, half members and half non-members of a DFA's language,
// for the recognition formulation (FLaRe-style negatives, but exact uniform positives).
// The mixture, per example of length n (coins drawn in this order, each with probability 1/2):
//   1. member?   yes -> a uniform member of length n (automata::DfaSampler, exact counting);
//   2. otherwise near-miss? yes -> near_miss(n), else a uniform non-member of length n.
// So members 1/2, near-misses 1/4, uniform non-members 1/4. Fallbacks keep every draw defined:
// no member of length n -> a non-member as in 2; near_miss fails -> a uniform non-member;
// no non-member of length n -> a member. (A language with no word of one kind at length n, such
// as (aa)* at odd n, therefore yields a single class there.)
// near_miss(n): up to kNearMissAttempts tries of: pick an edit uniformly from {substitute,
// insert, delete}; take a uniform member of length n, n-1 or n+1 respectively; apply one edit at
// a uniform position (substitution: a uniformly chosen different symbol; insertion: a uniform
// symbol); keep the result if the DFA rejects it. FLaRe instead applies Geometric(0.5) edits to
// length-distributed positives; one edit gives the hardest negatives and keeps length exact.
// Thread safety: the counting tables grow on demand (doubling) behind a mutex; each table is
// immutable once built, and the words drawn do not depend on how far the tables reach.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>

#include "automata/dfa.h"
#include "automata/dfa_sampler.h"
#include "automata/random.h"

namespace statetrack::tasks {

class RecognitionSampler {
  public:
    static constexpr int kNearMissAttempts = 32;

    enum class Kind { kMember, kNearMiss, kUniformNonmember };
    struct Draw {
        automata::Word word;
        Kind kind = Kind::kMember;
    };

    explicit RecognitionSampler(automata::Dfa dfa);

    const automata::Dfa& dfa() const { return dfa_; }
    // The mixture above.
    Draw sample(int64_t length, automata::Rng& rng) const;
    // The components, each nullopt when impossible at that length.
    std::optional<automata::Word> member(size_t length, automata::Rng& rng) const;
    std::optional<automata::Word> uniform_nonmember(size_t length, automata::Rng& rng) const;
    std::optional<automata::Word> near_miss(size_t length, automata::Rng& rng) const;

  private:
    std::shared_ptr<const automata::DfaSampler> sampler_for(size_t length) const;

    automata::Dfa dfa_;
    mutable std::mutex mutex_;
    mutable std::shared_ptr<const automata::DfaSampler> sampler_;
};

}  // namespace statetrack::tasks
