// Report plots (see report_figures.h).
#include "results/report_figures.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "results/svg_heat_map.h"
#include "results/svg_line_chart.h"

namespace statetrack::results {
namespace {

size_t index_of(const std::vector<std::string>& names, const std::string& name) {
    return static_cast<size_t>(std::find(names.begin(), names.end(), name) - names.begin());
}

size_t index_of_depth(const std::vector<int64_t>& depths, int64_t depth) {
    return static_cast<size_t>(std::find(depths.begin(), depths.end(), depth) - depths.begin());
}

std::vector<int64_t> all_depths(const ReportData& data) {
    std::set<int64_t> depths;
    for (const GroupAggregate& g : data.groups) {
        depths.insert(g.key.n_layers);
    }
    return {depths.begin(), depths.end()};
}

// Whether any model of the task appears at more than one width (then labels name the width).
bool task_has_several_widths(const std::vector<const GroupAggregate*>& groups) {
    std::set<std::pair<std::string, int64_t>> seen;
    std::set<std::string> models;
    for (const GroupAggregate* g : groups) {
        seen.insert({g->key.model, g->key.d_model});
        models.insert(g->key.model);
    }
    return seen.size() > models.size();
}

const TaskFacts& facts_of(const ReportData& data, const std::string& task) {
    for (const ReportTask& t : data.task_order) {
        if (t.label == task) {
            return t.facts;
        }
    }
    throw std::invalid_argument(fmt::format("report: no task '{}'", task));
}

// The x axis of a chart whose points' x values are sequence lengths: logarithmic when they
// span 20x or more (from >= 1), and a marker at the end of the training range when longer
// lengths were evaluated (on a log axis only where the marker can be drawn, at >= 1).
void set_length_axis(LineChart& chart, const TaskFacts& facts) {
    double min_length = INFINITY;
    double max_length = 0.0;
    for (const ChartSeries& s : chart.series) {
        for (const Point& point : s.points) {
            min_length = std::min(min_length, point.x);
            max_length = std::max(max_length, point.x);
        }
    }
    chart.log_x = min_length >= 1.0 && max_length / min_length >= 20.0;
    const double train_end = static_cast<double>(facts.train_lengths.max);
    if (max_length > train_end && (!chart.log_x || train_end >= 1.0)) {
        chart.x_marker = train_end;
        chart.x_marker_label = fmt::format("train ≤ {}", facts.train_lengths.max);
    }
}

}  // namespace

std::string class_label(const TaskFacts& task) {
    if (task.circuit_class == "n/a") {
        return task.algebraic_class;
    }
    return fmt::format("{} · {}", task.algebraic_class, task.circuit_class);
}

std::string accuracy_vs_length_svg(const ReportData& data, const std::string& task) {
    const TaskFacts& facts = facts_of(data, task);
    const auto groups = data.groups_of(task);
    const auto depths = all_depths(data);
    const bool widths = task_has_several_widths(groups);
    LineChart chart;
    chart.title = fmt::format("{} ({}): accuracy vs length", task, class_label(facts));
    chart.x_label = "sequence length";
    chart.y_label = "sequence accuracy (max over runs)";
    for (const GroupAggregate* g : groups) {
        ChartSeries s;
        s.label = widths ? fmt::format("{} L{} d{}", g->key.model, g->key.n_layers, g->key.d_model)
                         : fmt::format("{} L{}", g->key.model, g->key.n_layers);
        s.colour = categorical_colour(index_of(data.models, g->key.model));
        s.dash = dash_pattern(index_of_depth(depths, g->key.n_layers));
        for (const LengthAggregate& p : g->lengths) {
            s.points.push_back({static_cast<double>(p.length), p.accuracy.sequence.max});
        }
        chart.series.push_back(std::move(s));
    }
    set_length_axis(chart, facts);
    return render_line_chart(chart);
}

std::string min_depth_svg(const ReportData& data, const std::string& task) {
    const TaskFacts& facts = facts_of(data, task);
    std::vector<const MinDepthRow*> rows;
    int64_t deepest = 1;
    for (const MinDepthRow& row : data.min_depth) {
        if (row.task == task) {
            rows.push_back(&row);
            for (const MinDepthAtLength& at : row.lengths) {
                if (!at.depths_tried.empty()) {
                    deepest = std::max(deepest, at.depths_tried.back());
                }
            }
        }
    }
    std::set<std::string> models;
    for (const MinDepthRow* row : rows) {
        models.insert(row->model);
    }
    const bool widths = rows.size() > models.size();
    LineChart chart;
    chart.title = fmt::format("{} ({}): minimum depth vs length", task, class_label(facts));
    chart.x_label = "sequence length";
    chart.y_label = fmt::format("layers to reach {} (max)", format_tick(data.options.threshold));
    chart.y_min = 0.5;
    chart.y_max = static_cast<double>(deepest) + 1.5;
    for (int64_t d = 1; d <= deepest; ++d) {
        chart.y_ticks.push_back({static_cast<double>(d), fmt::format("{}", d)});
    }
    chart.y_ticks.push_back({static_cast<double>(deepest + 1), "none"});
    for (size_t i = 0; i < rows.size(); ++i) {
        const MinDepthRow& row = *rows[i];
        // Spread equal values apart by a fraction of a layer so every series stays visible.
        const double offset = (static_cast<double>(i) - (rows.size() - 1) / 2.0) * 0.07;
        ChartSeries s;
        s.label = widths ? fmt::format("{} d{}", row.model, row.d_model) : row.model;
        s.colour = categorical_colour(index_of(data.models, row.model));
        for (const MinDepthAtLength& at : row.lengths) {
            const double depth =
                at.by_max ? static_cast<double>(*at.by_max) : static_cast<double>(deepest + 1);
            s.points.push_back({static_cast<double>(at.length), depth + offset});
            s.hollow.push_back(!at.by_max);
        }
        chart.series.push_back(std::move(s));
    }
    set_length_axis(chart, facts);
    return render_line_chart(chart);
}

std::string heat_map_svg(const ReportData& data) {
    HeatMap map;
    map.title = "Out-of-distribution sequence accuracy (best depth, max over runs)";
    map.group_header = "class";
    map.label_header = "task";
    map.value_label = "accuracy";
    map.columns = data.models;
    for (const ReportTask& t : data.task_order) {
        HeatMapRow row;
        row.group = t.facts.algebraic_class;
        row.label = t.facts.circuit_class == "n/a"
                        ? t.label
                        : fmt::format("{} ({})", t.label, t.facts.circuit_class);
        for (const std::string& model : data.models) {
            const auto cell = data.best_cell(t.label, model);
            row.values.push_back(cell ? std::optional<double>(cell->value) : std::nullopt);
            row.notes.push_back(
                !cell
                    ? ""
                    : fmt::format(
                          "L{}{}{}", cell->n_layers, cell->out_of_distribution ? "" : " · ID",
                          cell->verdict ? fmt::format(" · {}", verdict_mark(*cell->verdict)) : ""));
        }
        map.rows.push_back(std::move(row));
    }
    return render_heat_map(map);
}

}  // namespace statetrack::results
