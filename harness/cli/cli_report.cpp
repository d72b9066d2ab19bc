// statetrack report DIR: aggregates every result.json under DIR into report.md, report.html
// (self-contained, SVG plots), results.csv, summary.csv and min_depth.csv in --out (default
// DIR/report). Input is fully checked before anything is written (results/report_writer.h).
#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/cli/cli.h"
#include "harness/cli/cli_checks.h"
#include "results/min_depth.h"
#include "results/report_writer.h"
#include "results/verdict.h"

namespace statetrack::harness {
namespace {

struct ReportOptions {
    std::string dir;
    std::string out;
    double threshold = results::kDefaultMinDepthThreshold;
    double fit_threshold = results::kDefaultFitThreshold;
    std::string ood_metric = "scaled";
    std::vector<std::string> claims;
    bool no_published_claims = false;
    bool json = false;
};

void run_report(const ReportOptions& o) {
    const std::string out =
        o.out.empty() ? (std::filesystem::path(o.dir) / "report").string() : o.out;
    results::ReportOptions options;
    options.threshold = o.threshold;
    options.fit_threshold = o.fit_threshold;
    options.ood_metric = results::parse_ood_metric(o.ood_metric);
    options.claims_files = o.claims;
    options.published_claims = !o.no_published_claims;
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
                    "Sequence accuracy that counts as reached (minimum depth, 'solved', "
                    "'generalises' out of distribution)")
        ->default_val(o->threshold)
        ->check(fraction());
    cmd->add_option("--fit-threshold", o->fit_threshold,
                    "In-distribution sequence accuracy a run needs to count as fitted "
                    "(below it: undertrained, no verdict)")
        ->default_val(o->fit_threshold)
        ->check(fraction());
    cmd->add_option("--ood-metric", o->ood_metric,
                    "Out-of-distribution accuracy 'generalises' is judged on: scaled (chance-"
                    "corrected per-position accuracy, as the length-generalisation papers "
                    "report), token, or sequence (every position right)")
        ->default_val(o->ood_metric)
        ->check(CLI::IsMember({"scaled", "token", "sequence"}));
    cmd->add_option("--claims", o->claims,
                    "A claims file (docs/claims.md) to test besides the published claims; "
                    "repeatable");
    cmd->add_flag("--no-published-claims", o->no_published_claims,
                  "Test only the --claims files, not results/claims/published.json");
    cmd->add_flag("--json", o->json, "Print the written files and counts as JSON on stdout");
    cmd->callback([o] { run_report(*o); });
}

}  // namespace statetrack::harness
