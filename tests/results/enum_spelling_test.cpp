// The results enums' spellings (core/enum_names.h tables in results/*.cpp): every value keeps
// its spelling, and a value outside the enum (a bad cast) keeps its historic fallback text.
#include <gtest/gtest.h>

#include <string>

#include "results/claim_evaluation.h"
#include "results/claims.h"
#include "results/model_family.h"
#include "results/prediction.h"
#include "results/verdict.h"

namespace statetrack::results {
namespace {

template <typename Enum>
Enum out_of_range() {
    return static_cast<Enum>(99);
}

TEST(EnumSpelling, ValuesOutsideTheEnumKeepTheirFallback) {
    EXPECT_EQ(to_string(out_of_range<Verdict>()), to_string(Verdict::kUndertrained));
    EXPECT_EQ(short_name(out_of_range<Verdict>()), "undertrained");
    EXPECT_EQ(verdict_mark(out_of_range<Verdict>()), 'U');
    EXPECT_EQ(to_string(out_of_range<OodMetric>()), "scaled");
    EXPECT_EQ(to_string(out_of_range<Prediction>()), "n/a");
    EXPECT_EQ(to_string(out_of_range<Outcome>()), "not tested");
    EXPECT_EQ(to_string(out_of_range<ClaimVerdict>()), "not tested");
    EXPECT_EQ(to_string(out_of_range<ModelFamily>()), "unknown");
    EXPECT_EQ(to_string(out_of_range<ExpectKind>()), "?");
}

TEST(EnumSpelling, ShortNamesAndMarksOfEveryVerdict) {
    std::string names;
    std::string marks;
    for (const Verdict v : {Verdict::kUndertrained, Verdict::kFitsOnly, Verdict::kGeneralises,
                            Verdict::kSolvesInDistribution}) {
        names += short_name(v) + " ";
        marks += verdict_mark(v);
    }
    EXPECT_EQ(names, "undertrained fits_only generalises solves_in_distribution ");
    EXPECT_EQ(marks, "UFGS");
    EXPECT_EQ(to_string(Verdict::kSolvesInDistribution), "solves in distribution");
}

TEST(EnumSpelling, OodMetricsRoundTripAndUnknownOnesNameTheChoices) {
    for (const OodMetric m : {OodMetric::kScaled, OodMetric::kToken, OodMetric::kSequence}) {
        EXPECT_EQ(parse_ood_metric(to_string(m)), m);
    }
    try {
        parse_ood_metric("Token");
        FAIL() << "no error";
    } catch (const std::invalid_argument& e) {
        EXPECT_STREQ(e.what(), "unknown OOD metric \"Token\" (allowed: scaled, token, sequence)");
    }
}

TEST(EnumSpelling, ExpectKindsRoundTrip) {
    for (const char* name : {"generalises", "does_not_generalise", "fits", "does_not_fit",
                             "min_depth_at_most", "min_depth_grows", "fewer_layers_than"}) {
        const auto kind = parse_expect_kind(name);
        ASSERT_TRUE(kind) << name;
        EXPECT_EQ(to_string(*kind), name);
    }
    EXPECT_EQ(parse_expect_kind("generalizes"), std::nullopt);
}

}  // namespace
}  // namespace statetrack::results
