// The report's tables, as plain-text cells (report_document.h assembles them with the figures):
//  - heat_map_table: class, task, then per model the best_cell value and the verdict mark of
//    the group achieving it, "0.981 (L2) G" (G generalises, F fits only, S solves in
//    distribution, U undertrained);
//  - class_summary_table: per algebraic class and model, "k/n" tasks whose best_cell reaches the
//    threshold, and the mean best_cell value;
//  - min_depth_table(task): per (model, width) and length, "max / mean" minimum depth;
//  - configuration_table(task): per (model, depth, width): parameters, state size, runs, seeds,
//    selected lr, and ID / OOD token, sequence and scaled accuracy as "max / mean ± CI";
//  - length_table(task): sequence accuracy "max / mean ± CI" per configuration and length;
//  - verdict_table: per group (tasks in class order): family, verdict "fits_only (2/2)",
//    prediction, the "⚠ disagrees" flag, the verdict's evidence and the prediction's reason;
//  - claims_table: per claim: id, source, statement, published, measured, "verdict: reason";
//  - failed_runs_table: one row per failed run with its error.
#pragma once

#include <string>

#include "results/report_data.h"
#include "results/report_document.h"

namespace statetrack::results {

ReportTable heat_map_table(const ReportData& data);
ReportTable class_summary_table(const ReportData& data);
ReportTable min_depth_table(const ReportData& data, const std::string& task);
ReportTable configuration_table(const ReportData& data, const std::string& task);
ReportTable length_table(const ReportData& data, const std::string& task);
ReportTable verdict_table(const ReportData& data);
ReportTable claims_table(const ReportData& data);
ReportTable failed_runs_table(const ReportData& data);

}  // namespace statetrack::results
