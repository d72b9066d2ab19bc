// Report structure (see report_document.h).
#include "results/report_document.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>
#include <set>

#include "results/report_figures.h"
#include "results/report_format.h"
#include "results/report_tables.h"

namespace statetrack::results {
namespace {

class DocumentBuilder {
  public:
    explicit DocumentBuilder(ReportDocument& doc) : doc_(doc) {}

    void heading(int level, const std::string& text, const std::string& anchor = "") {
        ReportBlock b;
        b.kind = ReportBlock::Kind::kHeading;
        b.level = level;
        b.text = text;
        b.anchor = anchor;
        doc_.blocks.push_back(std::move(b));
    }
    void paragraph(const std::string& text) {
        ReportBlock b;
        b.kind = ReportBlock::Kind::kParagraph;
        b.text = text;
        doc_.blocks.push_back(std::move(b));
    }
    void table(ReportTable table, const std::string& caption = "") {
        ReportBlock b;
        b.kind = ReportBlock::Kind::kTable;
        b.text = caption;
        b.table = std::move(table);
        doc_.blocks.push_back(std::move(b));
    }
    void figure(std::string svg, const std::string& caption) {
        ReportBlock b;
        b.kind = ReportBlock::Kind::kFigure;
        b.text = caption;
        b.svg = std::move(svg);
        doc_.blocks.push_back(std::move(b));
    }

  private:
    ReportDocument& doc_;
};

// "task-parity": a stable HTML id from a label.
std::string anchor_for(const std::string& prefix, const std::string& label) {
    std::string id = prefix;
    for (const char c : label) {
        const bool keep =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        id += keep ? c : '-';
    }
    return id;
}

void add_introduction(DocumentBuilder& out, const ReportData& data) {
    std::map<std::string, size_t> commits, platforms;
    for (const RunResult& r : data.store.complete) {
        ++commits[r.environment.git_commit];
        const std::string platform = platform_of(r.environment);
        ++platforms[platform.empty() ? "not recorded" : platform];
    }
    std::vector<std::string> commit_list, platform_list;
    for (const auto& [commit, n] : commits) {
        commit_list.push_back(fmt::format("{} ({} runs)", commit, n));
    }
    for (const auto& [platform, n] : platforms) {
        platform_list.push_back(fmt::format("{} ({} runs)", platform, n));
    }
    const size_t total = data.store.complete.size() + data.store.failed.size();
    out.paragraph(fmt::format(
        "Source: {}. {} runs: {} complete, {} failed{}. {} tasks, {} models, {} configurations. "
        "Commits: {}. Ran on: {}. Plots are in report.html; per-run data in results.csv, "
        "aggregates in summary.csv and min_depth.csv.",
        data.options.source.empty() ? "(in memory)" : data.options.source, total,
        data.store.complete.size(), data.store.failed.size(),
        data.store.duplicate_copies == 0
            ? ""
            : fmt::format(" ({} identical duplicate copies ignored)", data.store.duplicate_copies),
        data.task_order.size(), data.models.size(), data.groups.size(),
        commit_list.empty() ? "none" : fmt::format("{}", fmt::join(commit_list, ", ")),
        platform_list.empty() ? "none" : fmt::format("{}", fmt::join(platform_list, "; "))));
    out.paragraph(
        "How to read: each accuracy cell is \"max / mean ± CI\". max is over every run of a "
        "configuration (seeds × learning rates), as the published anchors report it; mean ± CI is "
        "over the seeds at the selected learning rate lr* (the best mean in-distribution sequence "
        "accuracy), with the 95% Student t half-width (none for one seed). ID: lengths inside "
        "the training range; OOD: outside it. token: scored positions right; sequence: every "
        "scored position of a sequence right; scaled: (token − chance) / (1 − chance).");
}

void add_verdicts(DocumentBuilder& out, const ReportData& data) {
    const ReportOptions& o = data.options;
    out.heading(3, "Verdicts and predictions", "verdicts");
    out.paragraph(fmt::format(
        "Verdict rules: a run fits when its in-distribution sequence accuracy reaches {} (every "
        "position of a held-out sequence of the training lengths right); it generalises when it "
        "fits and its out-of-distribution {} accuracy, averaged over the longer test lengths, "
        "reaches {}; a "
        "fitting run of a task without OOD lengths solves in distribution. A run that does not "
        "fit is undertrained: it did not fit in its budget, which says nothing about what the "
        "architecture can express. A configuration's verdict is the best over its runs (all "
        "seeds × lrs: can this architecture do it), with the share of runs reaching it.",
        format_number(o.fit_threshold), to_string(o.ood_metric), format_number(o.threshold)));
    out.paragraph(
        "Marks in the heat map: G generalises, F fits only (does not generalise), S solves in "
        "distribution, U undertrained. prediction: what the theory says the model family can "
        "express on the task's algebraic class (can / cannot / open / n/a; rules and papers in "
        "docs/verdicts.md). ⚠ disagrees: the verdict contradicts the prediction (cannot but "
        "generalised: the test lengths may be too short to expose finite precision; can but "
        "fits only: expressible, not learned in this budget). Undertrained configurations "
        "never disagree.");
    out.table(verdict_table(data), "Verdict and prediction per configuration");
}

void add_claims(DocumentBuilder& out, const ReportData& data) {
    out.heading(2, "Claims", "claims");
    out.paragraph(
        "Published claims, stored as data (results/claims/published.json and any --claims "
        "file; schema in docs/claims.md), tested on these runs. reproduced: every expectation "
        "met; contradicted: one expectation contradicted; inconclusive: undertrained runs, too "
        "few seeds at lr*, or evidence either way; not tested: no run matches.");
    out.table(claims_table(data), "Claims");
}

void add_overview(DocumentBuilder& out, const ReportData& data) {
    out.heading(2, "Overview: which models track state on which classes", "overview");
    out.paragraph(fmt::format(
        "Each cell: the best out-of-distribution sequence accuracy of a model on a task, over its "
        "depths (Lk: the depth achieving it; ID: the task has no OOD length), max over runs. "
        "Rows are grouped by the algebraic class of the language: aperiodic (star-free, AC0), "
        "solvable groups (ACC0), non-solvable groups (NC1-complete), n/a (not a regular "
        "language task). Chance is not 0: a one-answer binary task (final label, recognition) "
        "scores 0.5 by guessing; the scaled accuracy in the task tables corrects for it."));
    out.figure(heat_map_svg(data), "Task × model: out-of-distribution sequence accuracy");
    out.table(heat_map_table(data), "Task × model (best depth)");
    add_verdicts(out, data);
    out.heading(3, "By algebraic class", "by-class");
    out.paragraph(fmt::format("A task counts as solved when its cell above reaches {}.",
                              format_number(data.options.threshold)));
    out.table(class_summary_table(data), "Algebraic class × model");
}

void add_min_depth(DocumentBuilder& out, const ReportData& data) {
    out.heading(2, "Minimum depth", "min-depth");
    out.paragraph(fmt::format(
        "Smallest number of layers whose sequence accuracy at a length reaches {} (Merrill et al. "
        "2024), as \"by max / by mean\": on the max over runs and on the mean over the seeds at "
        "lr* (one value when both agree). \"none up to L\": no evaluated depth up to L reaches "
        "it.",
        format_number(data.options.threshold)));
    for (const ReportTask& task : data.task_order) {
        out.heading(3, fmt::format("{} ({})", task.label, class_label(task.facts)),
                    anchor_for("min-depth-", task.label));
        out.table(min_depth_table(data, task.label));
        out.figure(min_depth_svg(data, task.label),
                   fmt::format("{}: minimum depth vs length (by max)", task.label));
    }
}

void add_task(DocumentBuilder& out, const ReportData& data, const ReportTask& task) {
    const TaskFacts& f = task.facts;
    out.heading(3, fmt::format("{} ({})", task.label, class_label(f)),
                anchor_for("task-", task.label));
    out.paragraph(fmt::format(
        "Spec {}, formulation {}, {} classes (chance {}), train lengths {}–{}, test lengths "
        "{}–{}.",
        f.spec, f.formulation, f.num_classes, fmt::format("{:.4g}", f.chance), f.train_lengths.min,
        f.train_lengths.max, f.test_lengths.min, f.test_lengths.max));
    out.table(configuration_table(data, task.label), "Configurations");
    bool any_ood_selection = false;
    for (const GroupAggregate* g : data.groups_of(task.label)) {
        any_ood_selection = any_ood_selection || g->selected_on_ood;
    }
    if (any_ood_selection) {
        out.paragraph(
            "† no in-distribution length was evaluated: lr* was selected on the "
            "out-of-distribution accuracy (optimistic).");
    }
    out.table(length_table(data, task.label), "Sequence accuracy per length");
    out.figure(accuracy_vs_length_svg(data, task.label),
               fmt::format("{}: sequence accuracy vs length (max over runs)", task.label));
}

}  // namespace

ReportDocument build_report_document(const ReportData& data) {
    ReportDocument doc;
    doc.title = "statetrack report";
    DocumentBuilder out(doc);
    out.heading(1, doc.title, "top");
    add_introduction(out, data);
    if (!data.groups.empty()) {
        add_overview(out, data);
    }
    if (!data.claims.empty()) {
        add_claims(out, data);
    }
    if (!data.groups.empty()) {
        add_min_depth(out, data);
        out.heading(2, "Tasks", "tasks");
        for (const ReportTask& task : data.task_order) {
            add_task(out, data, task);
        }
    }
    out.heading(2, "Failed runs", "failed");
    if (data.store.failed.empty()) {
        out.paragraph("None.");
    } else {
        out.paragraph("Listed, not aggregated.");
        out.table(failed_runs_table(data));
    }
    return doc;
}

}  // namespace statetrack::results
