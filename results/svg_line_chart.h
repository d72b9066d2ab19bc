// A line chart as standalone SVG: one polyline with point markers per series, a legend on the
// right, x and y axes with ticks and grid lines, and an optional vertical marker (the end of the
// training range). Data coordinates go in; the chart maps them to pixels. Used for accuracy vs
// length (y in [0, 1]) and minimum depth vs length (integer y ticks with a "none" row).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "results/svg_writer.h"

namespace statetrack::results {

struct ChartSeries {
    std::string label;
    std::string colour;
    std::string dash;           // "" = solid (dash_pattern())
    std::vector<Point> points;  // ascending x; a NaN y leaves a gap in the line
    std::vector<bool> hollow;   // per point (optional): drawn as an open marker
};

struct ChartTick {
    double value = 0.0;
    std::string label;
};

struct LineChart {
    std::string title;
    std::string x_label;
    std::string y_label;
    double y_min = 0.0;
    double y_max = 1.0;
    std::vector<ChartTick> y_ticks;  // empty: round ticks over [y_min, y_max]
    bool log_x = false;              // needs every x >= 1
    std::optional<double> x_marker;
    std::string x_marker_label;
    std::vector<ChartSeries> series;
};

std::string render_line_chart(const LineChart& chart);

}  // namespace statetrack::results
