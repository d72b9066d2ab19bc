// CSV files for pandas (RFC 4180: comma-separated, fields quoted when they hold a comma, quote or
// newline; numbers in shortest round-trip form; booleans true/false; empty = not applicable).
// Columns are listed in results/README.md ("CSV files"):
//  - results_csv: long format, one row per complete run x evaluation entry (split, mode,
//    length) with every label; a failed run is one row with status "failed", its error and
//    empty evaluation columns;
//  - summary_csv: one row per configuration x scope (in_distribution, out_of_distribution, or
//    one length) x metric (token, sequence, scaled): max, mean, CI, and the group's verdict,
//    prediction and flag ("disagrees" or empty);
//  - min_depth_csv: one row per (task, model, d_model, length) x statistic (max, mean);
//  - claims_csv: one row per claim: id, source, statement, published, measured, verdict, reason.
#pragma once

#include <string>
#include <vector>

#include "results/report_data.h"

namespace statetrack::results {

std::string csv_field(const std::string& value);
std::string csv_row(const std::vector<std::string>& fields);  // with the trailing "\n"

std::string results_csv(const ResultsStore& store);
std::string summary_csv(const ReportData& data);
std::string min_depth_csv(const ReportData& data);
std::string claims_csv(const ReportData& data);

}  // namespace statetrack::results
