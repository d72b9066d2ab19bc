// CSV output: quoting, row and column counts, and specific values, read back with a small
// RFC 4180 parser.
#include "results/report_csv.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "results/report_data.h"
#include "results/results_test_support.h"

namespace statetrack::results {
namespace {

using Rows = std::vector<std::vector<std::string>>;

// Parses RFC 4180 text (quoted fields may hold commas, doubled quotes and newlines).
Rows parse_csv(const std::string& text) {
    Rows rows(1);
    std::string field;
    bool quoted = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            rows.back().push_back(field);
            field.clear();
        } else if (c == '\n') {
            rows.back().push_back(field);
            field.clear();
            rows.emplace_back();
        } else {
            field += c;
        }
    }
    rows.pop_back();  // after the final newline
    return rows;
}

const ReportData& fixture_data() {
    static const ReportData data = make_report_data(
        load_results_store(testing_support::fixture_sweep().string()), ReportOptions{});
    return data;
}

size_t column(const Rows& rows, const std::string& name) {
    const auto& h = rows.front();
    const auto it = std::find(h.begin(), h.end(), name);
    EXPECT_NE(it, h.end()) << name;
    return static_cast<size_t>(it - h.begin());
}

TEST(ReportCsv, FieldsAreQuotedOnlyWhenNeeded) {
    EXPECT_EQ(csv_field("plain"), "plain");
    EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
    EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(csv_row({"x", "1,2", ""}), "x,\"1,2\",\n");
    EXPECT_EQ(parse_csv(csv_row({"a\nb", "c\"d", ","})), (Rows{{"a\nb", "c\"d", ","}}));
}

TEST(ReportCsv, ResultsHasOneRowPerRunAndEntryPlusFailedRuns) {
    const Rows rows = parse_csv(results_csv(fixture_data().store));
    ASSERT_EQ(rows.size(), 1u + 36 * 5 + 1);
    for (const auto& row : rows) {
        ASSERT_EQ(row.size(), 34u);
    }
    const size_t id = column(rows, "run_id");
    const size_t length = column(rows, "length");
    const size_t sequence = column(rows, "sequence_accuracy");
    const size_t in_dist = column(rows, "in_distribution");
    const size_t cls = column(rows, "algebraic_class");
    bool found = false;
    for (const auto& row : rows) {
        if (row[id] == "group_A5-rwkv7-L2-d64-lr0.003-s2" && row[length] == "128") {
            found = true;
            EXPECT_EQ(row[sequence], "0.93");
            EXPECT_EQ(row[in_dist], "false");
            EXPECT_EQ(row[cls], "non-solvable");
            EXPECT_EQ(row[column(rows, "seed")], "2");
            EXPECT_EQ(row[column(rows, "lr")], "0.003");
            EXPECT_EQ(row[column(rows, "parameters")], "112000");
            EXPECT_EQ(row[column(rows, "platform")], "cpu, float32, LibTorch 1.13.1");
        }
    }
    EXPECT_TRUE(found);
    const auto& failed = rows.back();
    EXPECT_EQ(failed[column(rows, "status")], "failed");
    EXPECT_EQ(failed[column(rows, "error")], "non-finite loss at step 120 (lr 0.001)");
    EXPECT_EQ(failed[length], "");
    EXPECT_NE(failed.back().find("result.json"), std::string::npos);
}

TEST(ReportCsv, SummaryHasScopesLengthsAndMetrics) {
    const Rows rows = parse_csv(summary_csv(fixture_data()));
    // Per configuration: ID and OOD x 3 metrics, plus 5 lengths x 3 metrics.
    ASSERT_EQ(rows.size(), 1u + 18 * (6 + 15));
    EXPECT_EQ(rows.front().size(), 19u);
    const size_t mean = column(rows, "mean");
    const size_t ci = column(rows, "ci95");
    bool found = false;
    for (const auto& row : rows) {
        if (row[0] == "tomita4" && row[3] == "transformer" && row[4] == "1" &&
            row[6] == "out_of_distribution" && row[8] == "sequence") {
            found = true;
            EXPECT_NEAR(std::stod(row[column(rows, "max")]), 2.24 / 3, 1e-12);
            EXPECT_NEAR(std::stod(row[mean]), 4.42 / 6, 1e-12);
            EXPECT_NEAR(std::stod(row[ci]), 0.127062047, 1e-6);
            EXPECT_EQ(row[column(rows, "n_runs")], "2");
        }
    }
    EXPECT_TRUE(found);
}

TEST(ReportCsv, MinDepthHasBothStatisticsPerLength) {
    const Rows rows = parse_csv(min_depth_csv(fixture_data()));
    ASSERT_EQ(rows.size(), 1u + 9 * 5 * 2);
    const Rows expected_a5_128 = {
        {"group:A5", "non-solvable", "rwkv7", "64", "128", "false", "0.95", "max", "2", "1;2"},
        {"group:A5", "non-solvable", "rwkv7", "64", "128", "false", "0.95", "mean", "", "1;2"}};
    size_t matches = 0;
    for (const auto& row : rows) {
        for (const auto& e : expected_a5_128) {
            matches += row == e ? 1 : 0;
        }
    }
    EXPECT_EQ(matches, 2u);
}

}  // namespace
}  // namespace statetrack::results
