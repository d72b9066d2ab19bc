// Host conversions between float and Wkv7Bf16 (kernels/wkv7_params.h), for callers that fill or
// read bf16 buffers without CUDA's or torch's headers (tests, benchmarks, the CPU emulation of
// the CUDA program). Round to nearest even, as __float2bfloat16_rn on the device; NaN stays NaN.
// bfloat16 keeps float32's exponent and 8 significant bits (7 stored): unit roundoff 2^-8.
#pragma once

#include <cstdint>
#include <cstring>

#include "kernels/wkv7_params.h"

namespace statetrack::kernels {

inline float wkv7_bf16_to_float(Wkv7Bf16 x) {
    const uint32_t bits = static_cast<uint32_t>(x.bits) << 16;
    float f;
    std::memcpy(&f, &bits, sizeof(f));
    return f;
}

inline Wkv7Bf16 wkv7_bf16_from_float(float f) {
    uint32_t bits;
    std::memcpy(&bits, &f, sizeof(bits));
    if ((bits & 0x7fffffffu) > 0x7f800000u) {  // NaN: keep it quiet, never round it to infinity
        return {static_cast<uint16_t>((bits >> 16) | 0x0040u)};
    }
    // Adding 0x7fff plus the lowest kept bit rounds half-way cases to the even neighbour.
    bits += 0x7fffu + ((bits >> 16) & 1u);
    return {static_cast<uint16_t>(bits >> 16)};
}

}  // namespace statetrack::kernels
