// A heat map as standalone SVG: rows (tasks) in the given order, grouped under a label column
// (the algebraic class, printed on the first row of each run of equal groups, with a rule
// between groups); columns (models); cell colour = value in [0, 1] on viridis, the value printed
// in the cell with an optional note below it; a colour scale underneath. Empty cells are grey.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace statetrack::results {

struct HeatMapRow {
    std::string group;
    std::string label;
    std::vector<std::optional<double>> values;  // one per column
    std::vector<std::string> notes;             // one per column or empty
};

struct HeatMap {
    std::string title;
    std::string group_header;  // e.g. "class"
    std::string label_header;  // e.g. "task"
    std::string value_label;   // the colour scale's caption
    std::vector<std::string> columns;
    std::vector<HeatMapRow> rows;
};

std::string render_heat_map(const HeatMap& map);

}  // namespace statetrack::results
