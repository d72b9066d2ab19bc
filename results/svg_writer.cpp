// SVG element writer, ticks and palettes (see svg_writer.h).
#include "results/svg_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace statetrack::results {
namespace {

// Coordinates with two decimals keep the files small and diffs stable.
std::string num(double v) {
    if (std::fabs(v) < 0.005) {
        return "0";
    }
    std::string s = fmt::format("{:.2f}", v);
    while (s.back() == '0') {
        s.pop_back();
    }
    if (s.back() == '.') {
        s.pop_back();
    }
    return s;
}

std::string dash_attribute(const std::string& dash) {
    return dash.empty() ? "" : fmt::format(" stroke-dasharray=\"{}\"", dash);
}

}  // namespace

std::string escape_xml(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

SvgBuilder::SvgBuilder(double width, double height, std::string title)
    : width_(width), height_(height), title_(std::move(title)) {}

void SvgBuilder::rect(double x, double y, double w, double h, const std::string& fill,
                      const std::string& stroke, const std::string& extra) {
    body_ += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"{}\"{}/>\n",
        num(x), num(y), num(w), num(h), fill, stroke, extra.empty() ? "" : " " + extra);
}

void SvgBuilder::line(double x1, double y1, double x2, double y2, const std::string& stroke,
                      double width, const std::string& dash) {
    body_ += fmt::format(
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"{}\"{}/>\n",
        num(x1), num(y1), num(x2), num(y2), stroke, num(width), dash_attribute(dash));
}

void SvgBuilder::polyline(const std::vector<Point>& points, const std::string& stroke, double width,
                          const std::string& dash) {
    std::string coordinates;
    for (const Point& p : points) {
        coordinates += fmt::format("{}{},{}", coordinates.empty() ? "" : " ", num(p.x), num(p.y));
    }
    body_ += fmt::format(
        "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\" "
        "stroke-linejoin=\"round\"{}/>\n",
        coordinates, stroke, num(width), dash_attribute(dash));
}

void SvgBuilder::circle(double cx, double cy, double r, const std::string& fill,
                        const std::string& stroke) {
    body_ += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\" stroke=\"{}\"/>\n",
                         num(cx), num(cy), num(r), fill, stroke);
}

void SvgBuilder::text(double x, double y, const std::string& content, double size,
                      const std::string& anchor, const std::string& fill, const std::string& weight,
                      double rotate) {
    const std::string transform =
        rotate == 0.0 ? ""
                      : fmt::format(" transform=\"rotate({} {} {})\"", num(rotate), num(x), num(y));
    body_ += fmt::format(
        "<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"{}\" fill=\"{}\" "
        "font-weight=\"{}\"{}>{}</text>\n",
        num(x), num(y), num(size), anchor, fill, weight, transform, escape_xml(content));
}

void SvgBuilder::raw(const std::string& element) {
    body_ += element;
    body_ += "\n";
}

std::string SvgBuilder::finish() const {
    return fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
        "viewBox=\"0 0 {0} {1}\" role=\"img\" aria-label=\"{2}\" "
        "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n<title>{2}</title>\n{3}</svg>",
        num(width_), num(height_), escape_xml(title_), body_);
}

std::vector<double> nice_ticks(double lo, double hi, int target) {
    if (!(hi > lo)) {
        return {lo};
    }
    const double raw_step = (hi - lo) / std::max(1, target);
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw_step)));
    double step = magnitude;
    for (const double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        step = m * magnitude;
        if (step >= raw_step) {
            break;
        }
    }
    std::vector<double> ticks;
    const double first = std::ceil(lo / step - 1e-9);
    for (double k = first; k * step <= hi + 1e-9 * step; k += 1.0) {
        ticks.push_back(k == 0.0 ? 0.0 : k * step);  // multiples, so no drift accumulates
    }
    return ticks;
}

std::string format_tick(double value) {
    std::string s = fmt::format("{:.4f}", value);
    while (s.back() == '0') {
        s.pop_back();
    }
    if (s.back() == '.') {
        s.pop_back();
    }
    return s == "-0" ? "0" : s;
}

std::string categorical_colour(size_t index) {
    static constexpr std::array<const char*, 8> kOkabeIto = {
        "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"};
    return kOkabeIto[index % kOkabeIto.size()];
}

std::string dash_pattern(size_t index) {
    static constexpr std::array<const char*, 4> kDashes = {"", "7 4", "2 3", "8 3 2 3"};
    return kDashes[index % kDashes.size()];
}

std::string viridis(double t) {
    // viridis sampled at 9 evenly spaced points, linearly interpolated in between.
    static constexpr std::array<std::array<int, 3>, 9> kStops = {{{0x44, 0x01, 0x54},
                                                                  {0x47, 0x2d, 0x7b},
                                                                  {0x3b, 0x52, 0x8b},
                                                                  {0x2c, 0x72, 0x8e},
                                                                  {0x21, 0x90, 0x8c},
                                                                  {0x27, 0xad, 0x81},
                                                                  {0x5d, 0xc8, 0x63},
                                                                  {0xaa, 0xdc, 0x32},
                                                                  {0xfd, 0xe7, 0x25}}};
    const double x = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0) * (kStops.size() - 1);
    const size_t i = std::min(static_cast<size_t>(x), kStops.size() - 2);
    const double f = x - static_cast<double>(i);
    int rgb[3];
    for (int c = 0; c < 3; ++c) {
        rgb[c] =
            static_cast<int>(std::lround(kStops[i][c] + f * (kStops[i + 1][c] - kStops[i][c])));
    }
    return fmt::format("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2]);
}

std::string text_colour_on_viridis(double t) { return t < 0.55 ? "#ffffff" : "#111111"; }

}  // namespace statetrack::results
