// EnumNames (core/enum_names.h): spellings round-trip, unknown text and unnamed values fail with
// the documented messages, list() names every spelling in table order, and a table works in
// constant expressions.
#include "core/enum_names.h"

#include <gtest/gtest.h>

#include <string>

#include "testing/error_of.h"

namespace statetrack::core {
namespace {

enum class Colour { kRed, kGreen, kBlue, kUnlisted };

constexpr auto kColours =
    enum_names(Colour::kRed, "red", Colour::kGreen, "green", Colour::kBlue, "blue");

static_assert(kColours.entries.size() == 3);
static_assert(kColours.name(Colour::kGreen) == "green");
static_assert(kColours.find("blue") == Colour::kBlue);
static_assert(!kColours.find("Blue"));

std::string error_of(std::string_view text) {
    return statetrack::testing::error_of<std::invalid_argument>([&] { kColours.parse(text); });
}

TEST(EnumNames, EverySpellingRoundTrips) {
    for (const Colour c : {Colour::kRed, Colour::kGreen, Colour::kBlue}) {
        EXPECT_EQ(kColours.find(kColours.name(c)), c);
        EXPECT_EQ(kColours.parse(kColours.name(c)), c);
    }
    EXPECT_EQ(kColours.name(Colour::kRed), "red");
    EXPECT_EQ(kColours.parse("blue"), Colour::kBlue);
}

TEST(EnumNames, UnknownTextIsNotFoundAndParseNamesTheChoices) {
    EXPECT_EQ(kColours.find("purple"), std::nullopt);
    EXPECT_EQ(kColours.find(""), std::nullopt);
    EXPECT_EQ(kColours.find("red "), std::nullopt);
    EXPECT_EQ(error_of("purple"), "'purple' is not one of 'red', 'green', 'blue'");
    EXPECT_EQ(error_of("RED"), "'RED' is not one of 'red', 'green', 'blue'");
    EXPECT_EQ(kColours.not_one_of("x"), "'x' is not one of 'red', 'green', 'blue'");
}

TEST(EnumNames, ListNamesEverySpellingInTableOrder) {
    EXPECT_EQ(kColours.list(), "'red', 'green', 'blue'");
    EXPECT_EQ(kColours.list(""), "red, green, blue");
    EXPECT_EQ(kColours.list("\""), "\"red\", \"green\", \"blue\"");
    EXPECT_EQ(enum_names(Colour::kRed, "red").list(), "'red'");
}

TEST(EnumNames, ValuesWithoutAnEntryFallBackOrThrow) {
    EXPECT_EQ(kColours.find_name(Colour::kUnlisted), std::nullopt);
    EXPECT_THROW(kColours.name(Colour::kUnlisted), std::logic_error);
    EXPECT_THROW(kColours.name(static_cast<Colour>(42)), std::logic_error);
    constexpr auto unknown = kColours.otherwise("unknown");
    EXPECT_EQ(unknown.name(Colour::kUnlisted), "unknown");
    EXPECT_EQ(unknown.name(Colour::kGreen), "green");
    constexpr auto blue = kColours.otherwise(Colour::kBlue);
    static_assert(blue.name(Colour::kUnlisted) == "blue");
    EXPECT_EQ(blue.name(static_cast<Colour>(42)), "blue");
    EXPECT_EQ(blue.list(), kColours.list());  // the fallback is no spelling of its own
    EXPECT_EQ(blue.find("unknown"), std::nullopt);
}

TEST(EnumNames, TheFirstEntryForAValueOrSpellingWins) {
    constexpr auto aliases =
        enum_names(Colour::kRed, "red", Colour::kRed, "crimson", Colour::kBlue, "red");
    EXPECT_EQ(aliases.name(Colour::kRed), "red");
    EXPECT_EQ(aliases.find("crimson"), Colour::kRed);
    EXPECT_EQ(aliases.find("red"), Colour::kRed);
}

}  // namespace
}  // namespace statetrack::core
