// BigUnsigned: a small arbitrary-precision unsigned integer, just enough for exact word counts
// (which reach k^length) and exact uniform sampling: add, subtract, compare, decimal and
// double conversion, and a uniform draw below a bound. Limbs are 64-bit, least significant
// first, with no leading zero limbs (zero has no limbs).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "automata/random.h"

namespace statetrack::automata {

class BigUnsigned {
  public:
    BigUnsigned() = default;
    explicit BigUnsigned(uint64_t value);

    bool is_zero() const { return limbs_.empty(); }
    size_t bit_length() const;
    const std::vector<uint64_t>& limbs() const { return limbs_; }

    BigUnsigned& operator+=(const BigUnsigned& other);
    // Throws std::invalid_argument when other > *this (the result would be negative).
    BigUnsigned& operator-=(const BigUnsigned& other);
    // -1, 0, 1 as *this <, ==, > other.
    int compare(const BigUnsigned& other) const;

    std::string to_string() const;  // decimal
    double to_double() const;       // nearest-ish double; +inf beyond DBL_MAX

  private:
    friend BigUnsigned uniform_below(Rng& rng, const BigUnsigned& bound);
    void trim();

    std::vector<uint64_t> limbs_;
};

inline BigUnsigned operator+(BigUnsigned a, const BigUnsigned& b) { return a += b; }
inline BigUnsigned operator-(BigUnsigned a, const BigUnsigned& b) { return a -= b; }
inline bool operator==(const BigUnsigned& a, const BigUnsigned& b) { return a.compare(b) == 0; }
inline bool operator!=(const BigUnsigned& a, const BigUnsigned& b) { return a.compare(b) != 0; }
inline bool operator<(const BigUnsigned& a, const BigUnsigned& b) { return a.compare(b) < 0; }
inline bool operator<=(const BigUnsigned& a, const BigUnsigned& b) { return a.compare(b) <= 0; }
inline bool operator>(const BigUnsigned& a, const BigUnsigned& b) { return a.compare(b) > 0; }
inline bool operator>=(const BigUnsigned& a, const BigUnsigned& b) { return a.compare(b) >= 0; }
inline std::ostream& operator<<(std::ostream& os, const BigUnsigned& x) {
    return os << x.to_string();
}

// Uniform in [0, bound), bound > 0 (throws std::invalid_argument otherwise). Rejection
// sampling: draw bit_length(bound) random bits from whole 64-bit outputs, least significant
// limb first, retry while >= bound (fewer than 2 tries on average). Exact and identical on
// every machine.
BigUnsigned uniform_below(Rng& rng, const BigUnsigned& bound);

}  // namespace statetrack::automata
