// BigUnsigned against unsigned __int128 arithmetic and known decimal expansions; the uniform
// draw stays below its bound and is uniform (chi-square) for a small bound.
#include "automata/big_unsigned.h"

#include <gtest/gtest.h>

#include <cmath>

namespace statetrack::automata {
namespace {

using u128 = unsigned __int128;

BigUnsigned from_u128(u128 x) {
    BigUnsigned hi(static_cast<uint64_t>(x >> 64));
    // hi * 2^64 by doubling 64 times: only addition is available, which is the point.
    for (int i = 0; i < 64; ++i) {
        hi += hi;
    }
    return hi + BigUnsigned(static_cast<uint64_t>(x));
}

std::string u128_string(u128 x) {
    if (x == 0) {
        return "0";
    }
    std::string s;
    for (; x != 0; x /= 10) {
        s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(x % 10)));
    }
    return s;
}

TEST(BigUnsigned, ArithmeticMatchesInt128) {
    Rng rng(51);
    for (int i = 0; i < 2000; ++i) {
        // Mix full-width and small values so carries and borrows across limbs both happen.
        const u128 a = (static_cast<u128>(i % 3 == 0 ? 0 : rng() >> 1) << 64) | rng();
        const u128 b = (static_cast<u128>(i % 5 == 0 ? 0 : rng() >> 1) << 64) |
                       (i % 2 == 0 ? rng() : ~uint64_t{0});
        const BigUnsigned x = from_u128(a);
        const BigUnsigned y = from_u128(b);
        ASSERT_EQ((x + y).to_string(), u128_string(a + b));
        ASSERT_EQ(x.compare(y), a < b ? -1 : (a > b ? 1 : 0));
        if (a >= b) {
            ASSERT_EQ((x - y).to_string(), u128_string(a - b));
            ASSERT_EQ(x - y + y, x);
        } else {
            ASSERT_THROW(x - y, std::invalid_argument);
        }
        ASSERT_NEAR(x.to_double(), static_cast<double>(a), static_cast<double>(a) * 0x1.0p-52);
    }
}

TEST(BigUnsigned, KnownValues) {
    BigUnsigned p(1);
    for (int i = 0; i < 200; ++i) {
        p += p;
    }
    EXPECT_EQ(p.to_string(), "1606938044258990275541962092341162602522202993782792835301376");
    EXPECT_EQ(p.bit_length(), 201U);
    EXPECT_EQ(p.to_double(), std::ldexp(1.0, 200));
    EXPECT_EQ(BigUnsigned().to_string(), "0");
    EXPECT_TRUE((p - p).is_zero());
    EXPECT_EQ((p - BigUnsigned(1)).bit_length(), 200U);
    EXPECT_EQ(BigUnsigned(~uint64_t{0}).to_string(), "18446744073709551615");
    EXPECT_EQ((BigUnsigned(~uint64_t{0}) + BigUnsigned(1)).to_string(), "18446744073709551616");
    EXPECT_EQ((BigUnsigned(10'000'000'000'000'000'000ULL)).to_string(), "10000000000000000000");
}

TEST(BigUnsigned, UniformBelowIsInRangeAndUniform) {
    Rng rng(52);
    EXPECT_THROW(uniform_below(rng, BigUnsigned()), std::invalid_argument);
    // A bound just above 2^64: two limbs, and the top limb is masked to one bit.
    const BigUnsigned bound = BigUnsigned(~uint64_t{0}) + BigUnsigned(2);
    for (int i = 0; i < 1000; ++i) {
        ASSERT_LT(uniform_below(rng, bound), bound);
    }
    const int kBins = 7;
    const int kDraws = 70000;
    std::vector<int> hist(kBins, 0);
    for (int i = 0; i < kDraws; ++i) {
        const BigUnsigned x = uniform_below(rng, BigUnsigned(kBins));
        ++hist[static_cast<size_t>(x.is_zero() ? 0 : x.limbs()[0])];
    }
    double chi2 = 0;
    for (int h : hist) {
        chi2 += (h - kDraws / kBins) * (h - kDraws / kBins) / static_cast<double>(kDraws / kBins);
    }
    EXPECT_LT(chi2, 22.46);  // chi-square, 6 degrees of freedom, p = 0.001
}

}  // namespace
}  // namespace statetrack::automata
