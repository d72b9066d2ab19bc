// The whole report pipeline: load a results directory, aggregate, render, write. Contract:
// everything is read, checked and rendered in memory first; only then is the output directory
// created and the files written (each to a temp file, then all renamed), so bad input (no
// result.json, a malformed one, a bad claims file) throws std::invalid_argument naming the file
// and writes nothing.
#pragma once

#include <string>
#include <vector>

#include "results/report_data.h"

namespace statetrack::results {

// The files of a report, in memory.
struct RenderedReport {
    std::string markdown;       // report.md
    std::string html;           // report.html
    std::string results_csv;    // results.csv
    std::string summary_csv;    // summary.csv
    std::string min_depth_csv;  // min_depth.csv
    std::string claims_csv;     // claims.csv
};

RenderedReport render_report(const ReportData& data);

struct WrittenReport {
    std::string out_dir;
    // report.md, report.html, results.csv, summary.csv, min_depth.csv, claims.csv
    std::vector<std::string> files;
    size_t complete_runs = 0;
    size_t failed_runs = 0;
    size_t configurations = 0;
};

// options.source defaults to results_dir.
WrittenReport write_report(const std::string& results_dir, const std::string& out_dir,
                           ReportOptions options);

}  // namespace statetrack::results
