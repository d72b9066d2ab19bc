// The Markdown report from the fixture sweep holds the expected sections, tables and rows.
#include "results/report_markdown.h"

#include <gtest/gtest.h>

#include <string>

#include "results/report_document.h"
#include "results/results_test_support.h"

namespace statetrack::results {
namespace {

const std::string& fixture_markdown() {
    static const std::string md = [] {
        ReportOptions options;
        options.source = "fixtures/sweep";
        const ReportData data = make_report_data(
            load_results_store(testing_support::fixture_sweep().string()), options);
        return render_markdown(build_report_document(data));
    }();
    return md;
}

using testing_support::expect_contains;
using testing_support::expect_in_order;

TEST(ReportMarkdown, HasTheSectionsInOrder) {
    const std::string& md = fixture_markdown();
    const std::string overview = "## Overview: which models track state on which classes";
    ASSERT_NE(md.find(overview), std::string::npos);
    expect_in_order(md, {overview, "### By algebraic class", "## Minimum depth", "## Tasks",
                         "## Failed runs"});
    expect_contains(md,
                    "Source: fixtures/sweep. 37 runs: 36 complete, 1 failed. 3 tasks, 3 "
                    "models, 18 configurations.");
}

TEST(ReportMarkdown, HeatMapTableIsOrderedByClass) {
    const std::string& md = fixture_markdown();
    expect_contains(md,
                    "| class | task | circuit | mamba | rwkv7 | transformer |\n"
                    "| --- | --- | --- | ---: | ---: | ---: |\n"
                    "| aperiodic | tomita4 | AC0 | 0.990 (L2) G | 1.000 (L1) G | 0.913 (L2) F |\n"
                    "| solvable | parity | ACC0 | 0.507 (L2) U | 1.000 (L2) G | 0.520 (L2) F |\n"
                    "| non-solvable | group:A5 | NC1-complete | 0.007 (L2) U | 0.970 (L2) G | "
                    "0.003 (L2) U |\n");
    expect_contains(md,
                    "| non-solvable | 1 | 0/1 solved, mean 0.007 | 1/1 solved, mean 0.970 | "
                    "0/1 solved, mean 0.003 |");
}

TEST(ReportMarkdown, MinDepthTableShowsMaxAndMean) {
    const std::string& md = fixture_markdown();
    expect_contains(md,
                    "### group:A5 (non-solvable · NC1-complete)\n\n"
                    "| model | d_model | 8 ID | 16 ID | 32 OOD | 64 OOD | 128 OOD |\n");
    // At 128 the max over runs reaches 0.95 with 2 layers, the mean over seeds does not.
    expect_contains(md, "| rwkv7 | 64 | 1 | 1 | 2 | 2 | 2 / none up to 2 |");
    expect_contains(md,
                    "| transformer | 64 | none up to 2 | none up to 2 | none up to 2 | none "
                    "up to 2 | none up to 2 |\n\n");
    // parity / transformer: 2 layers in distribution (L1 0.92 at 16), none beyond.
    expect_contains(md,
                    "| transformer | 64 | 2 | 2 | none up to 2 | none up to 2 | none up to 2 |");
}

TEST(ReportMarkdown, ConfigurationTablesHaveEveryGroup) {
    const std::string& md = fixture_markdown();
    expect_contains(md,
                    "| model | L | d_model | params | state | runs | seeds | lr\\* | lengths | "
                    "token | sequence | scaled |");
    // tomita4 / transformer / L1: OOD sequence max 0.747, mean 0.737 ± 12.706 * 0.01.
    expect_contains(md,
                    "| transformer | 1 | 64 | 61.9k | 0 | 2 | 2 | 0.001 | ID | 0.995 / 0.990 ± "
                    "0.064 | 0.995 / 0.990 ± 0.064 | 0.990 / 0.980 ± 0.127 |\n"
                    "| transformer | 1 | 64 | 61.9k | 0 | 2 | 2 | 0.001 | OOD | 0.747 / 0.737 ± "
                    "0.127 | 0.747 / 0.737 ± 0.127 | 0.493 / 0.473 ± 0.254 |\n");
    expect_contains(md,
                    "Spec group:A5, formulation state_tagging, 60 classes (chance 0.01667), "
                    "train lengths 1–16, test lengths 1–128.");
    expect_contains(md, "**Sequence accuracy per length**");
}

TEST(ReportMarkdown, FailedRunsAreListed) {
    const std::string& md = fixture_markdown();
    const size_t failed = md.find("## Failed runs");
    const std::string tail = md.substr(failed);
    expect_contains(tail,
                    "| group_A5-transformer-L2-d64-lr0.001-s3 | group:A5 | transformer | 2 | "
                    "64 | 0.001 | 3 | non-finite loss at step 120 (lr 0.001) |");
}

TEST(ReportMarkdown, OnlyFailedRunsGiveAReportListingThem) {
    RunResult failed;
    failed.run_id = "r1";
    failed.status = RunStatus::kFailed;
    failed.error = "out of memory";
    failed.labels = {"parity", "lstm", 1, 8, 0.01, 0};
    const ReportData data = make_report_data(make_results_store({failed}), ReportOptions{});
    const std::string md = render_markdown(build_report_document(data));
    EXPECT_EQ(md.find("## Overview"), std::string::npos);
    expect_contains(md, "1 runs: 0 complete, 1 failed.");
    expect_contains(md, "| r1 | parity | lstm | 1 | 8 | 0.01 | 0 | out of memory |");
}

TEST(ReportMarkdown, EscapesTableBreakingCharacters) {
    EXPECT_EQ(escape_markdown("regex:(a|b)*"), "regex:(a\\|b)\\*");
    EXPECT_EQ(escape_markdown("<script>"), "&lt;script>");
    EXPECT_EQ(escape_markdown("final_label"), "final_label");
}

}  // namespace
}  // namespace statetrack::results
