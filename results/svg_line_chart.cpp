// Line chart rendering (see svg_line_chart.h).
#include "results/svg_line_chart.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace statetrack::results {
namespace {

constexpr double kWidth = 800.0;
constexpr double kHeight = 370.0;
constexpr double kLeft = 64.0;
constexpr double kTop = 42.0;
constexpr double kBottom = 70.0;    // tick labels, the training-range label, the axis label
constexpr double kCharWidth = 6.8;  // average glyph width at 12 px, for the legend's width

// Maps data coordinates to pixels inside the plot area.
struct Frame {
    double x0, x1, y0, y1;  // pixel box
    double xmin, xmax, ymin, ymax;
    bool log_x;
    double px(double x) const {
        const double a = log_x ? std::log10(x) : x;
        const double lo = log_x ? std::log10(xmin) : xmin;
        const double hi = log_x ? std::log10(xmax) : xmax;
        return x0 + (a - lo) / (hi - lo) * (x1 - x0);
    }
    double py(double y) const {
        const double c = std::clamp(y, ymin, ymax);
        return y1 - (c - ymin) / (ymax - ymin) * (y1 - y0);
    }
};

Frame make_frame(const LineChart& chart, double legend_width) {
    double xmin = INFINITY;
    double xmax = -INFINITY;
    for (const ChartSeries& s : chart.series) {
        for (const Point& p : s.points) {
            xmin = std::min(xmin, p.x);
            xmax = std::max(xmax, p.x);
        }
    }
    if (chart.x_marker) {
        xmin = std::min(xmin, *chart.x_marker);
        xmax = std::max(xmax, *chart.x_marker);
    }
    if (!std::isfinite(xmin)) {
        xmin = 0.0;
        xmax = 1.0;
    }
    if (chart.log_x && xmin < 1.0) {
        throw std::invalid_argument("line chart: a log x axis needs every x >= 1");
    }
    if (xmax <= xmin) {  // one x value: centre it
        xmin = chart.log_x ? xmin / 2.0 : xmin - 1.0;
        xmax = chart.log_x ? xmax * 2.0 : xmax + 1.0;
    }
    return {kLeft,       kWidth - legend_width - 16.0,
            kTop,        kHeight - kBottom,
            xmin,        xmax,
            chart.y_min, chart.y_max,
            chart.log_x};
}

std::vector<double> x_ticks(const Frame& f) {
    if (!f.log_x) {
        return nice_ticks(f.xmin, f.xmax, 8);
    }
    std::vector<double> ticks;  // 1, 2, 5 per decade
    for (double decade = 1.0; decade <= f.xmax; decade *= 10.0) {
        for (const double m : {1.0, 2.0, 5.0}) {
            const double t = m * decade;
            if (t >= f.xmin * (1 - 1e-9) && t <= f.xmax * (1 + 1e-9)) {
                ticks.push_back(t);
            }
        }
    }
    return ticks;
}

void draw_axes(SvgBuilder& svg, const LineChart& chart, const Frame& f) {
    std::vector<ChartTick> y_ticks = chart.y_ticks;
    if (y_ticks.empty()) {
        for (const double t : nice_ticks(chart.y_min, chart.y_max, 4)) {
            y_ticks.push_back({t, format_tick(t)});
        }
    }
    for (const ChartTick& t : y_ticks) {
        const double y = f.py(t.value);
        svg.line(f.x0, y, f.x1, y, "#e3e3e3");
        svg.text(f.x0 - 6, y + 4, t.label, 11, "end", "#333");
    }
    for (const double t : x_ticks(f)) {
        const double x = f.px(t);
        svg.line(x, f.y1, x, f.y1 + 5, "#555");
        svg.text(x, f.y1 + 18, format_tick(t), 11, "middle", "#333");
    }
    svg.line(f.x0, f.y1, f.x1, f.y1, "#555");
    svg.line(f.x0, f.y0, f.x0, f.y1, "#555");
    svg.text((f.x0 + f.x1) / 2, f.y1 + 56, chart.x_label, 12, "middle", "#222");
    svg.text(16, (f.y0 + f.y1) / 2, chart.y_label, 12, "middle", "#222", "normal", -90);
    svg.text(f.x0, 22, chart.title, 14, "start", "#111", "bold");
}

// The training range: a light band up to the marker and a dashed line at it. The label sits
// under the tick labels, where no data line can cross it.
void draw_marker_band(SvgBuilder& svg, const LineChart& chart, const Frame& f) {
    if (!chart.x_marker) {
        return;
    }
    const double x = f.px(*chart.x_marker);
    svg.rect(f.x0, f.y0, x - f.x0, f.y1 - f.y0, "#f1f1f1");
}

void draw_marker_line(SvgBuilder& svg, const LineChart& chart, const Frame& f) {
    if (!chart.x_marker) {
        return;
    }
    const double x = f.px(*chart.x_marker);
    svg.line(x, f.y0, x, f.y1 + 26, "#777", 1.2, "5 4");
    svg.text(x + 5, f.y1 + 36, chart.x_marker_label, 11, "start", "#555");
}

void draw_series(SvgBuilder& svg, const ChartSeries& s, const Frame& f) {
    std::vector<Point> run;
    const auto flush = [&] {
        if (run.size() > 1) {
            svg.polyline(run, s.colour, 2.0, s.dash);
        }
        run.clear();
    };
    for (const Point& p : s.points) {
        if (std::isnan(p.y)) {
            flush();
        } else {
            run.push_back({f.px(p.x), f.py(p.y)});
        }
    }
    flush();
    for (size_t i = 0; i < s.points.size(); ++i) {
        if (std::isnan(s.points[i].y)) {
            continue;
        }
        const bool hollow = i < s.hollow.size() && s.hollow[i];
        svg.circle(f.px(s.points[i].x), f.py(s.points[i].y), 3.5, hollow ? "#ffffff" : s.colour,
                   s.colour);
    }
}

void draw_legend(SvgBuilder& svg, const LineChart& chart, const Frame& f) {
    const double x = f.x1 + 18.0;
    double y = f.y0 + 4.0;
    for (const ChartSeries& s : chart.series) {
        svg.line(x, y, x + 26, y, s.colour, 2.0, s.dash);
        svg.circle(x + 13, y, 3.5, s.colour, s.colour);
        svg.text(x + 32, y + 4, s.label, 12, "start", "#222");
        y += 18.0;
    }
}

}  // namespace

std::string render_line_chart(const LineChart& chart) {
    if (!(chart.y_max > chart.y_min)) {
        throw std::invalid_argument("line chart: y_max must exceed y_min");
    }
    size_t longest = 0;
    for (const ChartSeries& s : chart.series) {
        longest = std::max(longest, s.label.size());
    }
    const double legend_width = 44.0 + kCharWidth * static_cast<double>(longest);
    const Frame frame = make_frame(chart, legend_width);
    // Taller when the legend needs more rows than the plot is high.
    const double legend_height = 18.0 * static_cast<double>(chart.series.size()) + kTop;
    SvgBuilder svg(kWidth, std::max(kHeight, legend_height), chart.title);
    svg.rect(0, 0, kWidth, std::max(kHeight, legend_height), "#ffffff");
    draw_marker_band(svg, chart, frame);
    draw_axes(svg, chart, frame);
    draw_marker_line(svg, chart, frame);
    for (const ChartSeries& s : chart.series) {
        draw_series(svg, s, frame);
    }
    draw_legend(svg, chart, frame);
    return svg.finish();
}

}  // namespace statetrack::results
