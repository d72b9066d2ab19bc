// BigUnsigned arithmetic. See big_unsigned.h.
#include "automata/big_unsigned.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace statetrack::automata {

BigUnsigned::BigUnsigned(uint64_t value) {
    if (value != 0) {
        limbs_.push_back(value);
    }
}

void BigUnsigned::trim() {
    while (!limbs_.empty() && limbs_.back() == 0) {
        limbs_.pop_back();
    }
}

size_t BigUnsigned::bit_length() const {
    if (limbs_.empty()) {
        return 0;
    }
    size_t top_bits = 0;
    for (uint64_t top = limbs_.back(); top != 0; top >>= 1) {
        ++top_bits;
    }
    return (limbs_.size() - 1) * 64 + top_bits;
}

BigUnsigned& BigUnsigned::operator+=(const BigUnsigned& other) {
    if (limbs_.size() < other.limbs_.size()) {
        limbs_.resize(other.limbs_.size(), 0);
    }
    uint64_t carry = 0;
    for (size_t i = 0; i < limbs_.size(); ++i) {
        if (i >= other.limbs_.size() && carry == 0) {
            break;  // nothing left to add
        }
        const uint64_t b = i < other.limbs_.size() ? other.limbs_[i] : 0;
        const uint64_t sum = limbs_[i] + b;
        const uint64_t out = sum + carry;
        carry = (sum < b || out < sum) ? 1 : 0;
        limbs_[i] = out;
    }
    if (carry != 0) {
        limbs_.push_back(1);
    }
    return *this;
}

BigUnsigned& BigUnsigned::operator-=(const BigUnsigned& other) {
    if (compare(other) < 0) {
        throw std::invalid_argument(
            fmt::format("BigUnsigned: {} - {} would be negative", to_string(), other.to_string()));
    }
    uint64_t borrow = 0;
    for (size_t i = 0; i < limbs_.size(); ++i) {
        if (i >= other.limbs_.size() && borrow == 0) {
            break;  // nothing left to subtract
        }
        const uint64_t b = i < other.limbs_.size() ? other.limbs_[i] : 0;
        const uint64_t a = limbs_[i];
        const uint64_t diff = a - b - borrow;
        borrow = (a < b || (a == b && borrow != 0)) ? 1 : 0;
        limbs_[i] = diff;
    }
    trim();
    return *this;
}

int BigUnsigned::compare(const BigUnsigned& other) const {
    if (limbs_.size() != other.limbs_.size()) {
        return limbs_.size() < other.limbs_.size() ? -1 : 1;
    }
    for (size_t i = limbs_.size(); i-- > 0;) {
        if (limbs_[i] != other.limbs_[i]) {
            return limbs_[i] < other.limbs_[i] ? -1 : 1;
        }
    }
    return 0;
}

std::string BigUnsigned::to_string() const {
    if (limbs_.empty()) {
        return "0";
    }
    // Repeated division by 10^19 (the largest power of ten in a limb), most significant first.
    constexpr uint64_t kChunk = 10'000'000'000'000'000'000ULL;
    std::vector<uint64_t> rest = limbs_;
    std::vector<uint64_t> chunks;  // base-10^19 digits, least significant first
    while (!rest.empty()) {
        unsigned __int128 remainder = 0;
        for (size_t i = rest.size(); i-- > 0;) {
            const unsigned __int128 cur = (remainder << 64) | rest[i];
            rest[i] = static_cast<uint64_t>(cur / kChunk);
            remainder = cur % kChunk;
        }
        chunks.push_back(static_cast<uint64_t>(remainder));
        while (!rest.empty() && rest.back() == 0) {
            rest.pop_back();
        }
    }
    std::string out = std::to_string(chunks.back());
    for (size_t i = chunks.size() - 1; i-- > 0;) {
        out += fmt::format("{:019}", chunks[i]);
    }
    return out;
}

double BigUnsigned::to_double() const {
    double value = 0.0;
    for (size_t i = limbs_.size(); i-- > 0;) {
        value = value * 0x1.0p64 + static_cast<double>(limbs_[i]);
    }
    return value;
}

BigUnsigned uniform_below(Rng& rng, const BigUnsigned& bound) {
    if (bound.is_zero()) {
        throw std::invalid_argument("uniform_below: the bound must be positive, got 0");
    }
    const size_t n = bound.limbs_.size();
    const size_t top_bits = bound.bit_length() - (n - 1) * 64;
    const uint64_t top_mask = top_bits == 64 ? ~uint64_t{0} : (uint64_t{1} << top_bits) - 1;
    BigUnsigned x;
    for (;;) {
        x.limbs_.resize(n);
        for (size_t i = 0; i < n; ++i) {
            x.limbs_[i] = rng();
        }
        x.limbs_.back() &= top_mask;
        x.trim();
        if (x < bound) {
            return x;
        }
    }
}

}  // namespace statetrack::automata
