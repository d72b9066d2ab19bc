// Heat map rendering (see svg_heat_map.h).
#include "results/svg_heat_map.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "results/svg_writer.h"

namespace statetrack::results {
namespace {

constexpr double kCellWidth = 110.0;
constexpr double kCellHeight = 46.0;
constexpr double kCharWidth = 7.0;  // at 12-13 px
constexpr double kTop = 64.0;       // title and column headers
constexpr double kPad = 12.0;

struct Layout {
    double group_x, label_x, cells_x, width, height, cell_width;
};

Layout make_layout(const HeatMap& map) {
    size_t group_chars = map.group_header.size();
    size_t label_chars = map.label_header.size();
    size_t column_chars = 0;
    for (const HeatMapRow& r : map.rows) {
        group_chars = std::max(group_chars, r.group.size());
        label_chars = std::max(label_chars, r.label.size());
    }
    for (const std::string& c : map.columns) {
        column_chars = std::max(column_chars, c.size());
    }
    Layout l{};
    l.cell_width = std::max(kCellWidth, kCharWidth * static_cast<double>(column_chars) + 12.0);
    l.group_x = kPad;
    l.label_x = l.group_x + kCharWidth * static_cast<double>(group_chars) + 16.0;
    l.cells_x = l.label_x + kCharWidth * static_cast<double>(label_chars) + 14.0;
    // Wide enough for the cells and for the title (bold 15 px: ~8.5 px per character).
    l.width = std::max(l.cells_x + l.cell_width * static_cast<double>(map.columns.size()) + kPad,
                       2 * kPad + 8.5 * static_cast<double>(map.title.size()));
    l.height = kTop + kCellHeight * static_cast<double>(map.rows.size()) + 70.0;
    return l;
}

void draw_cell(SvgBuilder& svg, double x, double y, double w, const std::optional<double>& value,
               const std::string& note) {
    if (!value) {
        svg.rect(x + 1, y + 1, w - 2, kCellHeight - 2, "#eeeeee");
        svg.text(x + w / 2, y + kCellHeight / 2 + 4, "n/a", 11, "middle", "#888");
        return;
    }
    svg.rect(x + 1, y + 1, w - 2, kCellHeight - 2, viridis(*value));
    const std::string ink = text_colour_on_viridis(*value);
    const double text_y = note.empty() ? y + kCellHeight / 2 + 5 : y + kCellHeight / 2;
    svg.text(x + w / 2, text_y, fmt::format("{:.2f}", *value), 15, "middle", ink, "bold");
    if (!note.empty()) {
        svg.text(x + w / 2, y + kCellHeight / 2 + 16, note, 11, "middle", ink);
    }
}

void draw_scale(SvgBuilder& svg, const HeatMap& map, const Layout& l) {
    const double y = kTop + kCellHeight * static_cast<double>(map.rows.size()) + 22.0;
    const double x = l.cells_x;
    const double w = std::max(200.0, l.cell_width * static_cast<double>(map.columns.size()));
    constexpr int kSteps = 20;
    for (int i = 0; i < kSteps; ++i) {
        svg.rect(x + w * i / kSteps, y, w / kSteps + 0.5, 12, viridis((i + 0.5) / kSteps));
    }
    for (const double t : {0.0, 0.25, 0.5, 0.75, 1.0}) {
        svg.line(x + w * t, y + 12, x + w * t, y + 16, "#555");
        svg.text(x + w * t, y + 28, format_tick(t), 11, "middle", "#333");
    }
    svg.text(x - 8, y + 10, map.value_label, 11, "end", "#333");
}

}  // namespace

std::string render_heat_map(const HeatMap& map) {
    for (const HeatMapRow& r : map.rows) {
        if (r.values.size() != map.columns.size() ||
            (!r.notes.empty() && r.notes.size() != map.columns.size())) {
            throw std::invalid_argument(
                fmt::format("heat map: row '{}' has {} values for {} columns", r.label,
                            r.values.size(), map.columns.size()));
        }
    }
    const Layout l = make_layout(map);
    SvgBuilder svg(l.width, l.height, map.title);
    svg.rect(0, 0, l.width, l.height, "#ffffff");
    svg.text(kPad, 24, map.title, 15, "start", "#111", "bold");
    svg.text(l.group_x, kTop - 10, map.group_header, 12, "start", "#444", "bold");
    svg.text(l.label_x, kTop - 10, map.label_header, 12, "start", "#444", "bold");
    for (size_t c = 0; c < map.columns.size(); ++c) {
        svg.text(l.cells_x + l.cell_width * (c + 0.5), kTop - 10, map.columns[c], 12, "middle",
                 "#222", "bold");
    }
    for (size_t r = 0; r < map.rows.size(); ++r) {
        const HeatMapRow& row = map.rows[r];
        const double y = kTop + kCellHeight * static_cast<double>(r);
        const bool first_of_group = r == 0 || map.rows[r - 1].group != row.group;
        if (first_of_group) {
            svg.line(kPad, y, l.width - kPad, y, r == 0 ? "#999" : "#333", r == 0 ? 1.0 : 1.5);
            svg.text(l.group_x, y + kCellHeight / 2 + 4, row.group, 12, "start", "#111", "bold");
        }
        svg.text(l.label_x, y + kCellHeight / 2 + 4, row.label, 12, "start", "#222");
        for (size_t c = 0; c < map.columns.size(); ++c) {
            draw_cell(svg, l.cells_x + l.cell_width * static_cast<double>(c), y, l.cell_width,
                      row.values[c], row.notes.empty() ? "" : row.notes[c]);
        }
    }
    draw_scale(svg, map, l);
    return svg.finish();
}

}  // namespace statetrack::results
