// Fnv1a64: the 64-bit FNV-1a hash (offset basis 14695981039346656037, prime 1099511628211) over
// an explicit little-endian byte encoding, so a checksum does not depend on the machine's
// endianness or on how a JSON file is spaced. Frozen datasets, checkpoints, saved models and
// safetensors files written by statetrack carry one and are verified on load. Not cryptographic:
// it detects corruption and truncation, not tampering.
#pragma once

#include <fmt/format.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace statetrack::core {

class Fnv1a64 {
  public:
    void add_byte(uint8_t b) {
        hash_ ^= b;
        hash_ *= kPrime;
    }
    void add_bytes(const void* data, size_t size) {
        const auto* p = static_cast<const uint8_t*>(data);
        for (size_t i = 0; i < size; ++i) {
            add_byte(p[i]);
        }
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
        add_bytes(s.data(), s.size());
    }
    uint64_t value() const { return hash_; }
    std::string hex() const { return fmt::format("{:016x}", hash_); }

  private:
    static constexpr uint64_t kPrime = 1099511628211ULL;
    uint64_t hash_ = 14695981039346656037ULL;
};

// The hex Fnv1a64 of a file's bytes (no length prefix). Throws std::runtime_error naming the
// file when it cannot be read.
std::string file_checksum(const std::string& path);

// Throws std::runtime_error "WHAT 'PATH' is corrupt: its checksum is X, STATED_BY says Y" when
// the file's checksum is not `expected`.
void verify_file_checksum(const std::string& path, const std::string& expected,
                          const std::string& what, const std::string& stated_by);

}  // namespace statetrack::core
