// The HTML report: well-formed for the elements it emits, self-contained, one <svg> per plot,
// and the heat map's rows in algebraic-class order.
#include "results/report_html.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "results/report_document.h"
#include "results/report_figures.h"
#include "results/results_test_support.h"

namespace statetrack::results {
namespace {

using testing_support::count;
using testing_support::expect_in_order;
using testing_support::make_run;

const std::string& fixture_html() {
    static const std::string html = [] {
        const ReportData data = make_report_data(
            load_results_store(testing_support::fixture_sweep().string()), ReportOptions{});
        return render_html(build_report_document(data));
    }();
    return html;
}

// Every opened element is closed in order; self-closing "<x .../>" and the void elements the
// report uses (meta, wbr, !DOCTYPE) need no end tag. Returns "" or the first problem.
std::string check_balanced(const std::string& html) {
    const std::regex tag(R"(<(/?)([a-zA-Z][a-zA-Z0-9]*|!DOCTYPE)([^>]*)>)");
    std::vector<std::string> open;
    for (auto it = std::sregex_iterator(html.begin(), html.end(), tag);
         it != std::sregex_iterator(); ++it) {
        const std::string name = (*it)[2];
        const std::string rest = (*it)[3];
        if (name == "!DOCTYPE" || name == "meta" || name == "wbr" ||
            (!rest.empty() && rest.back() == '/')) {
            continue;
        }
        if ((*it)[1] == "") {
            open.push_back(name);
        } else if (open.empty() || open.back() != name) {
            return "unexpected </" + name + "> with <" + (open.empty() ? "" : open.back()) +
                   "> open at offset " + std::to_string(it->position());
        } else {
            open.pop_back();
        }
    }
    return open.empty() ? "" : "unclosed <" + open.back() + ">";
}

TEST(ReportHtml, IsBalancedAndSelfContained) {
    const std::string& html = fixture_html();
    EXPECT_EQ(check_balanced(html), "");
    EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
    EXPECT_EQ(count(html, "<script"), 0u);
    EXPECT_EQ(count(html, "<link"), 0u);
    EXPECT_EQ(count(html, "src="), 0u);
    EXPECT_EQ(count(html, "url("), 0u);
    // The only URL is the SVG namespace, once per figure.
    EXPECT_EQ(count(html, "http"), count(html, "xmlns=\"http://www.w3.org/2000/svg\""));
}

TEST(ReportHtml, HasOneSvgPerPlot) {
    const std::string& html = fixture_html();
    // 1 heat map + 3 tasks x (minimum depth + accuracy vs length).
    EXPECT_EQ(count(html, "<svg "), 7u);
    EXPECT_EQ(count(html, "</svg>"), 7u);
    EXPECT_EQ(count(html, "<figure>"), 7u);
    EXPECT_EQ(count(html, "aria-label=\"parity (solvable · ACC0): accuracy vs length\""), 1u);
    EXPECT_EQ(count(html,
                    "aria-label=\"group:A5 (non-solvable · NC1-complete): minimum depth vs "
                    "length\""),
              1u);
}

TEST(ReportHtml, HasTheSameTablesAsTheMarkdown) {
    const std::string& html = fixture_html();
    // heat map, verdicts, class summary, claims, 3 min-depth, 3 x (configurations, per length),
    // failed runs.
    EXPECT_EQ(count(html, "<table>"), 1u + 1 + 1 + 1 + 3 + 6 + 1);
    EXPECT_NE(html.find("<td>non-solvable</td><td>group:A5</td><td>NC1-complete</td>"
                        "<td class=\"num\">0.007 (L2) U</td>"),
              std::string::npos);
    EXPECT_NE(html.find("<td>non-finite loss at step 120 (lr 0.001)</td>"), std::string::npos);
    EXPECT_NE(html.find("<a href=\"#min-depth\">Minimum depth</a>"), std::string::npos);
}

TEST(ReportHtml, HeatMapRowsFollowTheAlgebraicClasses) {
    const std::string& html = fixture_html();
    const size_t start = html.find("<svg ");
    const std::string heat = html.substr(start, html.find("</svg>", start) - start);
    ASSERT_NE(heat.find("Out-of-distribution sequence accuracy"), std::string::npos);
    const std::string tomita = ">tomita4 (AC0)<";
    ASSERT_NE(heat.find(tomita), std::string::npos);
    expect_in_order(heat, {tomita, ">parity (ACC0)<", ">group:A5 (NC1-complete)<"});
    expect_in_order(heat, {">aperiodic<", ">solvable<", ">non-solvable<"});
}

TEST(ReportHtml, TaskOrderPutsUnclassifiedTasksLast) {
    const std::vector<RunResult> runs = {
        make_run("a_mqar", "m", 1, 0.1, 1, {{5, 1.0}}, "n/a"),
        make_run("b_group", "m", 1, 0.1, 1, {{5, 0.2}}, "non-solvable"),
        make_run("c_parity", "m", 1, 0.1, 1, {{5, 0.6}}, "solvable"),
        make_run("d_star_free", "m", 1, 0.1, 1, {{5, 0.9}}, "aperiodic"),
        make_run("e_parity2", "m", 1, 0.1, 1, {{5, 0.6}}, "solvable")};
    const ReportData data = make_report_data(make_results_store(runs), ReportOptions{});
    std::vector<std::string> order;
    for (const ReportTask& t : data.task_order) {
        order.push_back(t.label);
    }
    EXPECT_EQ(order, (std::vector<std::string>{"d_star_free", "c_parity", "e_parity2", "b_group",
                                               "a_mqar"}));
    EXPECT_EQ(data.classes(),
              (std::vector<std::string>{"aperiodic", "solvable", "non-solvable", "n/a"}));
    const std::string svg = heat_map_svg(data);
    EXPECT_LT(svg.find(">b_group<"), svg.find(">a_mqar<"));
    // Only ID lengths here: the cell falls back to ID accuracy and says so, with the verdict
    // mark (S: fits a task without OOD lengths; U: 0.9 does not fit).
    EXPECT_NE(svg.find(">L1 · ID · S<"), std::string::npos);
    EXPECT_NE(svg.find(">L1 · ID · U<"), std::string::npos);
}

TEST(ReportHtml, EscapesLabels) {
    std::vector<RunResult> runs = {make_run("regex:<a&b>", "m", 1, 0.1, 1, {{5, 1.0}})};
    const ReportData data = make_report_data(make_results_store(runs), ReportOptions{});
    const std::string html = render_html(build_report_document(data));
    EXPECT_EQ(html.find("<a&b>"), std::string::npos);
    EXPECT_NE(html.find("regex:&lt;a&amp;b&gt;"), std::string::npos);
    EXPECT_EQ(check_balanced(html), "");
}

}  // namespace
}  // namespace statetrack::results
