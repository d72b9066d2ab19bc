// Small SVG building blocks for the report's plots: an element writer with XML escaping, "nice"
// axis ticks and colour-blind-safe colours. Output is plain SVG 1.1 text (no scripts, no external
// fonts or stylesheets) so it can be inlined into a self-contained HTML file.
#pragma once

#include <string>
#include <vector>

namespace statetrack::results {

// Escapes &, <, >, " and ' for XML/HTML text and attribute values.
std::string escape_xml(const std::string& text);

struct Point {
    double x = 0.0;
    double y = 0.0;
};

// Appends elements in document order; finish() wraps them in the <svg> root.
class SvgBuilder {
  public:
    SvgBuilder(double width, double height, std::string title);

    void rect(double x, double y, double w, double h, const std::string& fill,
              const std::string& stroke = "none", const std::string& extra = "");
    void line(double x1, double y1, double x2, double y2, const std::string& stroke,
              double width = 1.0, const std::string& dash = "");
    void polyline(const std::vector<Point>& points, const std::string& stroke, double width,
                  const std::string& dash = "");
    void circle(double cx, double cy, double r, const std::string& fill,
                const std::string& stroke = "none");
    // anchor: start | middle | end. rotate: degrees about (x, y).
    void text(double x, double y, const std::string& content, double size = 12.0,
              const std::string& anchor = "start", const std::string& fill = "#222",
              const std::string& weight = "normal", double rotate = 0.0);
    void raw(const std::string& element);  // pre-built element (trusted markup)

    std::string finish() const;

  private:
    double width_;
    double height_;
    std::string title_;
    std::string body_;
};

// Round tick positions (1, 2, 5 x 10^k steps) covering [lo, hi], about `target` of them.
std::vector<double> nice_ticks(double lo, double hi, int target);
// Shortest readable label for a tick value ("0.25", "100", "1e+03" never: plain decimals).
std::string format_tick(double value);

// Okabe & Ito's colour-blind-safe qualitative palette (8 colours, yellow last), cycled.
std::string categorical_colour(size_t index);
// Dash patterns for a second series dimension: solid, dashed, dotted, dash-dot, cycled.
std::string dash_pattern(size_t index);
// Viridis (perceptually uniform, colour-blind safe) at t in [0, 1]; "#rrggbb".
std::string viridis(double t);
// Black or white, whichever reads better on viridis(t).
std::string text_colour_on_viridis(double t);

}  // namespace statetrack::results
