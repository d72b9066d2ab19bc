// SVG primitives: ticks, palettes, escaping, line chart and heat map structure.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "results/results_test_support.h"
#include "results/svg_heat_map.h"
#include "results/svg_line_chart.h"
#include "results/svg_writer.h"

namespace statetrack::results {
namespace {

using testing_support::count;
using testing_support::expect_in_order;

TEST(SvgWriter, NiceTicksAreRoundAndCoverTheRange) {
    const auto expect_ticks = [](const std::vector<double>& got, const std::vector<double>& want) {
        ASSERT_EQ(got.size(), want.size());
        for (size_t i = 0; i < got.size(); ++i) {
            EXPECT_NEAR(got[i], want[i], 1e-12) << i;
        }
    };
    expect_ticks(nice_ticks(0, 1, 4), {0, 0.25, 0.5, 0.75, 1});
    expect_ticks(nice_ticks(0, 1, 5), {0, 0.2, 0.4, 0.6, 0.8, 1});
    expect_ticks(nice_ticks(16, 256, 8), {50, 100, 150, 200, 250});
    expect_ticks(nice_ticks(2, 20, 8), {2.5, 5, 7.5, 10, 12.5, 15, 17.5, 20});
    expect_ticks(nice_ticks(-0.3, 0.3, 3), {-0.2, 0, 0.2});
    expect_ticks(nice_ticks(3, 3, 5), {3});
    EXPECT_EQ(format_tick(0.6000000000000001), "0.6");
    EXPECT_EQ(format_tick(0.25), "0.25");
    EXPECT_EQ(format_tick(100), "100");
    EXPECT_EQ(format_tick(-0.0), "0");
}

TEST(SvgWriter, PalettesAndEscaping) {
    EXPECT_EQ(viridis(0.0), "#440154");
    EXPECT_EQ(viridis(1.0), "#fde725");
    EXPECT_EQ(viridis(2.0), "#fde725");  // clamped
    EXPECT_EQ(viridis(0.5), "#21908c");
    EXPECT_EQ(text_colour_on_viridis(0.1), "#ffffff");
    EXPECT_EQ(text_colour_on_viridis(0.9), "#111111");
    EXPECT_EQ(categorical_colour(0), categorical_colour(8));
    EXPECT_NE(categorical_colour(0), categorical_colour(1));
    EXPECT_EQ(escape_xml("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
}

TEST(SvgLineChart, DrawsEverySeriesAndTheMarker) {
    LineChart chart;
    chart.title = "t <1>";
    chart.x_label = "length";
    chart.y_label = "accuracy";
    chart.x_marker = 40;
    chart.x_marker_label = "train ≤ 40";
    chart.series.push_back({"rwkv7 L1", "#0072B2", "", {{16, 1.0}, {64, 0.9}, {256, 0.8}}, {}});
    chart.series.push_back({"lstm L2", "#D55E00", "7 4", {{16, 1.0}, {64, NAN}, {256, 0.5}}, {}});
    const std::string svg = render_line_chart(chart);
    EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
    EXPECT_EQ(count(svg, "<polyline"), 1u);  // the second series is split by NaN into points
    EXPECT_EQ(count(svg, "<circle"), 3u + 2u + 2u);  // points + one legend marker per series
    EXPECT_EQ(count(svg, ">rwkv7 L1<"), 1u);
    EXPECT_EQ(count(svg, ">lstm L2<"), 1u);
    EXPECT_EQ(count(svg, ">train ≤ 40<"), 1u);
    EXPECT_EQ(count(svg, "<title>t &lt;1&gt;</title>"), 1u);
    EXPECT_EQ(count(svg, ">0.5<"), 1u);  // a y tick
    chart.log_x = true;
    const std::string log_svg = render_line_chart(chart);
    EXPECT_EQ(count(log_svg, ">20<"), 1u);  // log ticks 20, 50, 100, 200
    EXPECT_EQ(count(log_svg, ">200<"), 1u);
    chart.series[0].points[0].x = 0.5;
    EXPECT_THROW(render_line_chart(chart), std::invalid_argument);
}

TEST(SvgHeatMap, RowsGroupsAndCells) {
    HeatMap map;
    map.title = "m";
    map.group_header = "class";
    map.label_header = "task";
    map.value_label = "accuracy";
    map.columns = {"a", "b"};
    map.rows = {{"aperiodic", "t1", {1.0, 0.25}, {"L1", "L2"}},
                {"aperiodic", "t2", {0.5, std::nullopt}, {}},
                {"solvable", "t3", {0.0, 1.0}, {}}};
    const std::string svg = render_heat_map(map);
    EXPECT_EQ(count(svg, ">aperiodic<"), 1u);  // printed once per group
    EXPECT_EQ(count(svg, ">solvable<"), 1u);
    EXPECT_EQ(count(svg, ">1.00<"), 2u);
    EXPECT_EQ(count(svg, ">0.25<"), 2u);  // the cell and the colour scale's tick
    EXPECT_EQ(count(svg, ">n/a<"), 1u);
    EXPECT_EQ(count(svg, "fill=\"" + viridis(1.0) + "\""), 2u + 0u);
    expect_in_order(svg, {">t1<", ">t2<", ">t3<"});
    map.rows[0].values.pop_back();
    EXPECT_THROW(render_heat_map(map), std::invalid_argument);
}

}  // namespace
}  // namespace statetrack::results
