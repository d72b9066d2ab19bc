// statetrack report DIR: aggregates every result.json under DIR into report.md, report.html
// (self-contained, SVG plots), results.csv, summary.csv and min_depth.csv in --out (default
// DIR/report). Input is fully checked before anything is written (results/report_writer.h).
#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "harness/cli.h"
#include "results/min_depth.h"
#include "results/report_writer.h"

namespace statetrack::harness {
namespace {

struct ReportOptions {
    std::string dir;
    std::string out;
    double threshold = results::kDefaultMinDepthThreshold;
    bool json = false;
};

void run_report(const ReportOptions& o) {
    const std::string out =
        o.out.empty() ? (std::filesystem::path(o.dir) / "report").string() : o.out;
    results::ReportOptions options;
    options.threshold = o.threshold;
    const results::WrittenReport written = results::write_report(o.dir, out, options);
    if (o.json) {
        std::cout << nlohmann::json{{"out_dir", written.out_dir},
                                    {"files", written.files},
                                    {"complete_runs", written.complete_runs},
                                    {"failed_runs", written.failed_runs},
                                    {"configurations", written.configurations}}
                         .dump(2)
                  << "\n";
        return;
    }
    fmt::print(stderr, "report: {} complete runs, {} failed, {} configurations\n",
               written.complete_runs, written.failed_runs, written.configurations);
    fmt::print("{}\n", (std::filesystem::path(out) / "report.html").string());
}

}  // namespace

void add_report_commands(CLI::App& app) {
    auto o = std::make_shared<ReportOptions>();
    auto* cmd = app.add_subcommand(
        "report", "Aggregate the result.json files under DIR into Markdown, HTML and CSV");
    cmd->add_option("DIR", o->dir, "Directory holding <run_id>/result.json files (recursively)")
        ->required();
    cmd->add_option("--out", o->out, "Output directory (default: DIR/report)");
    cmd->add_option("--threshold", o->threshold,
                    "Sequence accuracy that counts as reached (minimum depth, 'solved')")
        ->default_val(o->threshold)
        ->check(CLI::Range(0.0, 1.0));
    cmd->add_flag("--json", o->json, "Print the written files and counts as JSON on stdout");
    cmd->callback([o] { run_report(*o); });
}

}  // namespace statetrack::harness
