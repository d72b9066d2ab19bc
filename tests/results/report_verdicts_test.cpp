// The report's Verdicts and Claims blocks (Markdown), summary.csv's verdict columns, claims.csv,
// and write_report with claims files (a bad one writes nothing).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "results/report_csv.h"
#include "results/report_document.h"
#include "results/report_markdown.h"
#include "results/report_writer.h"
#include "results/results_test_support.h"

namespace statetrack::results {
namespace {

using nlohmann::json;
using testing_support::error_of;
using testing_support::expect_contains;
using testing_support::expect_in_order;
using testing_support::fixture_sweep;
using testing_support::ScratchDir;
using testing_support::write_json;

// A claims file the fixture sweep (2 seeds per configuration) can reproduce.
json fixture_claims() {
    return {{"schema", kClaimsSchema},
            {"claims",
             {{{"id", "mine-rwkv7-a5"},
               {"source", "Our notes"},
               {"statement", "RWKV-7 tracks A5, with fewer layers than a Transformer"},
               {"published", "100%"},
               {"min_seeds", 2},
               {"expectations",
                {{{"tasks", {"group:A5"}},
                  {"models", {{"family", "dplr_bounded"}}},
                  {"expect", "generalises"}},
                 {{"tasks", {"class:non-solvable"}},
                  {"models", {{"label", "rwkv7"}}},
                  {"expect", "fewer_layers_than"},
                  {"than", {{"type", "transformer"}}}}}}}}}};
}

const ReportData& fixture_data_with_claims() {
    static const ReportData data = [] {
        const auto path = std::filesystem::temp_directory_path() /
                          ("statetrack_results_claims_" + std::to_string(::getpid()) + ".json");
        write_json(path, fixture_claims());
        ReportOptions options;
        options.claims_files = {path.string()};
        ReportData d = make_report_data(load_results_store(fixture_sweep().string()), options);
        std::filesystem::remove(path);
        return d;
    }();
    return data;
}

TEST(ReportVerdicts, MarkdownHasVerdictsAfterTheHeatMapAndClaimsBeforeDepth) {
    const std::string md = render_markdown(build_report_document(fixture_data_with_claims()));
    const std::string verdicts = "### Verdicts and predictions";
    ASSERT_NE(md.find(verdicts), std::string::npos);
    expect_in_order(md, {"**Task × model (best depth)**", verdicts, "### By algebraic class",
                         "## Claims", "## Minimum depth"});
    expect_contains(md,
                    "Verdict rules: a run fits when its in-distribution sequence accuracy reaches "
                    "0.95 (every position of a held-out sequence of the training lengths right); it "
                    "generalises when it fits and its out-of-distribution scaled accuracy, "
                    "averaged over the longer test lengths, reaches 0.95;");
    expect_contains(md,
                    "| solvable | parity | mamba | diagonal_nonneg | 1 | 64 | undertrained (2/2) | "
                    "cannot |  | no run fits: best ID sequence accuracy 0.620 &lt; 0.95; stopped "
                    "at max_steps 2000 (2 runs) |");
    expect_contains(md,
                    "| aperiodic | tomita4 | transformer | attention | 1 | 64 | fits_only (2/2) | "
                    "can | ⚠ disagrees: expressible, not learned in this budget |");
    expect_contains(md,
                    "| non-solvable | group:A5 | rwkv7 | dplr_bounded | 2 | 64 | generalises "
                    "(2/2) | open |  |");
}

TEST(ReportVerdicts, MarkdownListsEveryClaimTestedOrNot) {
    const ReportData& data = fixture_data_with_claims();
    EXPECT_EQ(data.claims.size(), published_claims().size() + 1);
    const std::string md = render_markdown(build_report_document(data));
    expect_contains(md, "| id | source | claim | published | measured | verdict |");
    expect_contains(md,
                    "| grazzi2025-signed-diagonal-parity | Grazzi et al. 2025 (ICLR), Unlocking "
                    "State-Tracking in Linear RNNs Through Negative Eigenvalues |");
    expect_contains(md, "| — | not tested: no run matches any expectation |");
    expect_contains(md,
                    "| mine-rwkv7-a5 | Our notes | RWKV-7 tracks A5, with fewer layers than a "
                    "Transformer | 100% | rwkv7 L1 on group:A5: ID sequence 0.975, OOD scaled 0.869 "
                    "(2 seeds, mean 0.86 ± 0.06), fits_only; rwkv7 L2 on group:A5: ID sequence "
                    "1.000, OOD scaled 0.985 (2 seeds, mean 0.98 ± 0.06), generalises · rwkv7 on "
                    "group:A5 (d64): min depth 1@8, "
                    "1@16, 2@32, 2@64, 2@128; transformer on group:A5 (d64): min depth none≤2@8, "
                    "none≤2@16, none≤2@32, none≤2@64, none≤2@128 | reproduced: ");
}

TEST(ReportVerdicts, ClaimsCsvHasOneRowPerClaim) {
    const ReportData& data = fixture_data_with_claims();
    const std::string csv = claims_csv(data);
    EXPECT_EQ(csv.rfind("id,source,statement,published,measured,verdict,reason\n", 0), 0u);
    size_t lines = 0;
    for (const char c : csv) {
        lines += c == '\n' ? 1 : 0;
    }
    EXPECT_EQ(lines, 1 + data.claims.size());
    expect_contains(csv,
                    "\nmine-rwkv7-a5,Our notes,\"RWKV-7 tracks A5, with fewer layers than a "
                    "Transformer\",100%,");
    expect_contains(csv,
                    ",reproduced,dplr_bounded on group:A5: generalises: best rwkv7 L2 on "
                    "group:A5: generalises · label:rwkv7 on class:non-solvable: "
                    "fewer_layers_than type:transformer: rwkv7 vs transformer on group:A5: fewer "
                    "layers\n");
    expect_contains(csv, "\narora2024-zoology-mqar,");
}

TEST(ReportVerdicts, SummaryCsvCarriesVerdictPredictionAndFlag) {
    const std::string csv = summary_csv(fixture_data_with_claims());
    EXPECT_NE(csv.find("selected_lr,selected_on_ood,verdict,prediction,flag\n"), std::string::npos);
    expect_contains(csv, "\ntomita4,aperiodic,AC0,transformer,1,64,in_distribution,,token,");
    expect_contains(csv, ",0.001,false,fits_only,can,disagrees\n");
    expect_contains(csv, ",0.003,false,undertrained,cannot,\n");
}

TEST(ReportVerdicts, WriteReportWritesClaimsCsvAndRejectsBadClaims) {
    ScratchDir dir;
    const auto out = dir.path() / "report";
    const WrittenReport written = write_report(fixture_sweep().string(), out.string(), {});
    ASSERT_EQ(written.files.size(), 6u);
    EXPECT_EQ(written.files.back(), (out / "claims.csv").string());
    EXPECT_TRUE(std::filesystem::exists(out / "claims.csv"));
    const auto bad = dir.path() / "bad.json";
    json claims = fixture_claims();
    claims["claims"][0]["expectations"][0]["expect"] = "solves";
    write_json(bad, claims);
    const auto out2 = dir.path() / "report2";
    ReportOptions options;
    options.claims_files = {bad.string()};
    EXPECT_EQ(error_of([&] { write_report(fixture_sweep().string(), out2.string(), options); }),
              bad.string() +
                  ": claims[0].expectations[0].expect: 'solves' is not one of generalises, "
                  "does_not_generalise, fits, does_not_fit, min_depth_at_most, min_depth_grows, "
                  "fewer_layers_than");
    EXPECT_FALSE(std::filesystem::exists(out2));
}

TEST(ReportVerdicts, PublishedClaimsCanBeTurnedOff) {
    ReportOptions options;
    options.published_claims = false;
    const ReportData data = make_report_data(load_results_store(fixture_sweep().string()), options);
    EXPECT_TRUE(data.claims.empty());
    const std::string md = render_markdown(build_report_document(data));
    EXPECT_EQ(md.find("## Claims"), std::string::npos);
}

}  // namespace
}  // namespace statetrack::results
