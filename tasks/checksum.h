// Fnv1a64: the 64-bit FNV-1a hash (offset basis 14695981039346656037, prime 1099511628211) over
// an explicit little-endian byte encoding, so a checksum does not depend on the machine's
// endianness or on how a JSON file is spaced. Not cryptographic: it detects corruption and
// truncation, not tampering.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace statetrack::tasks {

class Fnv1a64 {
  public:
    void add_byte(uint8_t b) {
        hash_ ^= b;
        hash_ *= kPrime;
    }
    void add_u64(uint64_t v) {
        for (int i = 0; i < 8; ++i) {
            add_byte(static_cast<uint8_t>(v >> (8 * i)));
        }
    }
    void add_i32(int32_t v) {
        const auto u = static_cast<uint32_t>(v);
        for (int i = 0; i < 4; ++i) {
            add_byte(static_cast<uint8_t>(u >> (8 * i)));
        }
    }
    // Length-prefixed, so "ab"+"c" and "a"+"bc" hash differently.
    void add_string(std::string_view s) {
        add_u64(s.size());
        for (char c : s) {
            add_byte(static_cast<uint8_t>(c));
        }
    }
    uint64_t value() const { return hash_; }
    std::string hex() const { return fmt::format("{:016x}", hash_); }

  private:
    static constexpr uint64_t kPrime = 1099511628211ULL;
    uint64_t hash_ = 14695981039346656037ULL;
};

}  // namespace statetrack::tasks
