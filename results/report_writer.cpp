// Report pipeline (see report_writer.h).
#include "results/report_writer.h"

#include <fmt/format.h>

#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "core/atomic_file.h"
#include "results/report_csv.h"
#include "results/report_document.h"
#include "results/report_html.h"
#include "results/report_markdown.h"

namespace statetrack::results {

RenderedReport render_report(const ReportData& data) {
    const ReportDocument doc = build_report_document(data);
    return {render_markdown(doc), render_html(doc),    results_csv(data.store),
            summary_csv(data),    min_depth_csv(data), claims_csv(data)};
}

WrittenReport write_report(const std::string& results_dir, const std::string& out_dir,
                           ReportOptions options) {
    if (options.source.empty()) {
        options.source = results_dir;
    }
    const ReportData data = make_report_data(load_results_store(results_dir), std::move(options));
    const RenderedReport rendered = render_report(data);
    std::error_code error;
    std::filesystem::create_directories(out_dir, error);
    if (error) {
        throw std::runtime_error(
            fmt::format("cannot create the output directory '{}': {}", out_dir, error.message()));
    }
    const std::filesystem::path dir(out_dir);
    const std::vector<std::pair<std::string, std::string>> files = {
        {(dir / "report.md").string(), rendered.markdown},
        {(dir / "report.html").string(), rendered.html},
        {(dir / "results.csv").string(), rendered.results_csv},
        {(dir / "summary.csv").string(), rendered.summary_csv},
        {(dir / "min_depth.csv").string(), rendered.min_depth_csv},
        {(dir / "claims.csv").string(), rendered.claims_csv}};
    core::write_files_atomically(files);
    WrittenReport out;
    out.out_dir = out_dir;
    for (const auto& f : files) {
        out.files.push_back(f.first);
    }
    out.complete_runs = data.store.complete.size();
    out.failed_runs = data.store.failed.size();
    out.configurations = data.groups.size();
    return out;
}

}  // namespace statetrack::results
