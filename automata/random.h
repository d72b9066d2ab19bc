// Deterministic integer sampling over std::mt19937_64.
// std::uniform_int_distribution's output is implementation-defined, so every draw in statetrack
// goes through these functions instead: a seed then fixes every dataset bit for bit on any
// machine and standard library (README.md, "Determinism").
#pragma once

#include <cstdint>
#include <random>
#include <stdexcept>

namespace statetrack::automata {

using Rng = std::mt19937_64;

// Uniform integer in [0, n), n > 0. Rejection sampling on the raw 64-bit output: unbiased.
inline uint64_t uniform_below(Rng& rng, uint64_t n) {
    if (n == 0) {
        throw std::invalid_argument("uniform_below: n must be positive");
    }
    // 2^64 mod n, computed without overflow; draws below it are rejected.
    const uint64_t threshold = (0 - n) % n;
    for (;;) {
        const uint64_t x = rng();
        if (x >= threshold) {
            return x % n;
        }
    }
}

// Uniform integer in [lo, hi] (inclusive), lo <= hi.
inline int64_t uniform_between(Rng& rng, int64_t lo, int64_t hi) {
    if (lo > hi) {
        throw std::invalid_argument("uniform_between: empty range");
    }
    return lo + static_cast<int64_t>(uniform_below(rng, static_cast<uint64_t>(hi - lo) + 1));
}

// Bernoulli(num/den) with exact integer arithmetic.
inline bool bernoulli(Rng& rng, uint64_t num, uint64_t den) {
    return uniform_below(rng, den) < num;
}

// Uniform double in [0, 1) from the top 53 bits: identical on every IEEE-754 machine.
inline double uniform_unit(Rng& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

}  // namespace statetrack::automata
