// The report's plots, as SVG strings built from ReportData:
//  - accuracy_vs_length_svg(task): sequence accuracy (max over seeds x lrs) per length, one
//    series per (model, depth[, width]); colour = model, dash = depth, both fixed across the
//    whole report; a dashed marker at the end of the training range when longer lengths exist;
//    log x axis when the lengths span a factor of 20 or more;
//  - min_depth_svg(task): minimum depth (on the max statistic) per length, one series per
//    (model, width); "none" on a row above the deepest depth, as open markers; series are
//    offset slightly in y so equal depths stay visible;
//  - heat_map_svg(): task x model best_cell values, rows in task_order under their class.
#pragma once

#include <string>

#include "results/report_data.h"

namespace statetrack::results {

std::string accuracy_vs_length_svg(const ReportData& data, const std::string& task);
std::string min_depth_svg(const ReportData& data, const std::string& task);
std::string heat_map_svg(const ReportData& data);

// "aperiodic (AC0)": the class with its circuit reading, as row labels show it.
std::string class_label(const TaskFacts& task);

}  // namespace statetrack::results
