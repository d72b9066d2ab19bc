// Report tables (see report_tables.h).
#include "results/report_tables.h"

#include <fmt/format.h>

#include <set>

#include "results/report_format.h"

namespace statetrack::results {
namespace {

std::string length_header(int64_t length, bool in_distribution) {
    return fmt::format("{} {}", length, in_distribution ? "ID" : "OOD");
}

std::string scope_cell(const std::optional<AccuracyAggregate>& scope,
                       AggregatedValue AccuracyAggregate::*metric) {
    return scope ? format_aggregated((*scope).*metric) : "—";
}

// The run's file relative to the results directory (the report names that directory once).
std::string relative_source(const RunResult& r, const ReportData& data) {
    const std::string& dir = data.options.source;
    if (!dir.empty() && r.source.size() > dir.size() && r.source.compare(0, dir.size(), dir) == 0) {
        const size_t skip = dir.size() + (r.source[dir.size()] == '/' ? 1 : 0);
        return r.source.substr(skip);
    }
    return r.source;
}

}  // namespace

ReportTable heat_map_table(const ReportData& data) {
    ReportTable t;
    t.header = {"class", "task", "circuit"};
    t.numeric = {false, false, false};
    for (const std::string& m : data.models) {
        t.header.push_back(m);
        t.numeric.push_back(true);
    }
    for (const ReportTask& task : data.task_order) {
        std::vector<std::string> row = {task.facts.algebraic_class, task.label,
                                        task.facts.circuit_class};
        for (const std::string& m : data.models) {
            const auto cell = data.best_cell(task.label, m);
            row.push_back(
                !cell ? "—"
                      : fmt::format(
                            "{} (L{}{}){}", format_accuracy(cell->value), cell->n_layers,
                            cell->out_of_distribution ? "" : ", ID",
                            cell->verdict ? fmt::format(" {}", verdict_mark(*cell->verdict)) : ""));
        }
        t.rows.push_back(std::move(row));
    }
    return t;
}

ReportTable class_summary_table(const ReportData& data) {
    ReportTable t;
    t.header = {"class", "tasks"};
    t.numeric = {false, true};
    for (const std::string& m : data.models) {
        t.header.push_back(m);
        t.numeric.push_back(true);
    }
    for (const std::string& cls : data.classes()) {
        std::vector<const ReportTask*> tasks;
        for (const ReportTask& task : data.task_order) {
            if (task.facts.algebraic_class == cls) {
                tasks.push_back(&task);
            }
        }
        std::vector<std::string> row = {cls, fmt::format("{}", tasks.size())};
        for (const std::string& m : data.models) {
            size_t solved = 0;
            size_t measured = 0;
            double sum = 0.0;
            for (const ReportTask* task : tasks) {
                if (const auto cell = data.best_cell(task->label, m)) {
                    ++measured;
                    sum += cell->value;
                    solved += cell->value >= data.options.threshold ? 1 : 0;
                }
            }
            row.push_back(measured == 0 ? "—"
                                        : fmt::format("{}/{} solved, mean {}", solved, measured,
                                                      format_accuracy(sum / measured)));
        }
        t.rows.push_back(std::move(row));
    }
    return t;
}

ReportTable min_depth_table(const ReportData& data, const std::string& task) {
    std::set<std::pair<int64_t, bool>> lengths;
    std::vector<const MinDepthRow*> rows;
    for (const MinDepthRow& row : data.min_depth) {
        if (row.task == task) {
            rows.push_back(&row);
            for (const MinDepthAtLength& at : row.lengths) {
                lengths.insert({at.length, at.in_distribution});
            }
        }
    }
    ReportTable t;
    t.header = {"model", "d_model"};
    t.numeric = {false, true};
    for (const auto& [length, id] : lengths) {
        t.header.push_back(length_header(length, id));
        t.numeric.push_back(true);
    }
    for (const MinDepthRow* row : rows) {
        std::vector<std::string> cells = {row->model, fmt::format("{}", row->d_model)};
        for (const auto& [length, id] : lengths) {
            const MinDepthAtLength* found = nullptr;
            for (const MinDepthAtLength& at : row->lengths) {
                found = at.length == length ? &at : found;
            }
            if (!found) {
                cells.push_back("—");
                continue;
            }
            const std::string by_max = format_min_depth(found->by_max, *found);
            const std::string by_mean = format_min_depth(found->by_mean, *found);
            cells.push_back(by_max == by_mean ? by_max : by_max + " / " + by_mean);
        }
        t.rows.push_back(std::move(cells));
    }
    return t;
}

ReportTable configuration_table(const ReportData& data, const std::string& task) {
    ReportTable t;
    t.header = {"model", "L",   "d_model", "params", "state",    "runs",
                "seeds", "lr*", "lengths", "token",  "sequence", "scaled"};
    t.numeric = {false, true, true, true, true, true, true, true, false, true, true, true};
    for (const GroupAggregate* g : data.groups_of(task)) {
        const std::vector<std::string> config = {
            g->key.model,
            fmt::format("{}", g->key.n_layers),
            fmt::format("{}", g->key.d_model),
            format_count(g->model.parameters),
            format_count(g->model.state_size),
            fmt::format("{}", g->run_ids.size()),
            fmt::format("{}", g->seeds.size()),
            format_number(g->selected_lr) + (g->selected_on_ood ? " †" : "")};
        for (const auto& [scope, name] : {std::make_pair(&g->in_distribution, "ID"),
                                          std::make_pair(&g->out_of_distribution, "OOD")}) {
            std::vector<std::string> row = config;
            row.push_back(name);
            row.push_back(scope_cell(*scope, &AccuracyAggregate::token));
            row.push_back(scope_cell(*scope, &AccuracyAggregate::sequence));
            row.push_back(scope_cell(*scope, &AccuracyAggregate::scaled));
            t.rows.push_back(std::move(row));
        }
    }
    return t;
}

ReportTable length_table(const ReportData& data, const std::string& task) {
    const auto groups = data.groups_of(task);
    std::set<std::pair<int64_t, bool>> lengths;
    for (const GroupAggregate* g : groups) {
        for (const LengthAggregate& p : g->lengths) {
            lengths.insert({p.length, p.in_distribution});
        }
    }
    ReportTable t;
    t.header = {"model", "L", "d_model"};
    t.numeric = {false, true, true};
    for (const auto& [length, id] : lengths) {
        t.header.push_back(length_header(length, id));
        t.numeric.push_back(true);
    }
    for (const GroupAggregate* g : groups) {
        std::vector<std::string> row = {g->key.model, fmt::format("{}", g->key.n_layers),
                                        fmt::format("{}", g->key.d_model)};
        for (const auto& [length, id] : lengths) {
            std::string cell = "—";
            for (const LengthAggregate& p : g->lengths) {
                if (p.length == length) {
                    cell = format_aggregated(p.accuracy.sequence);
                }
            }
            row.push_back(cell);
        }
        t.rows.push_back(std::move(row));
    }
    return t;
}

ReportTable verdict_table(const ReportData& data) {
    ReportTable t;
    t.header = {"class",   "task",       "model", "family",   "L",     "d_model",
                "verdict", "prediction", "flag",  "evidence", "theory"};
    t.numeric = {false, false, false, false, true, true, false, false, false, false, false};
    for (const ReportTask& task : data.task_order) {
        for (const GroupAggregate* g : data.groups_of(task.label)) {
            const GroupVerdict& v = data.verdict_of(*g);
            const PredictionResult& p = data.prediction_of(*g);
            const auto flag = data.flag_of(*g);
            t.rows.push_back(
                {task.facts.algebraic_class, task.label, g->key.model, to_string(g->model.family),
                 fmt::format("{}", g->key.n_layers), fmt::format("{}", g->key.d_model),
                 fmt::format("{} ({}/{})", short_name(v.verdict), v.n_with_verdict, v.n_runs),
                 to_string(p.prediction), flag ? "⚠ disagrees: " + *flag : "", v.reason,
                 fmt::format("{} [{}]", p.reason, p.source)});
        }
    }
    return t;
}

ReportTable claims_table(const ReportData& data) {
    ReportTable t;
    t.header = {"id", "source", "claim", "published", "measured", "verdict"};
    t.numeric = {false, false, false, false, false, false};
    for (const ClaimResult& c : data.claims) {
        t.rows.push_back({c.claim.id, c.claim.source, c.claim.statement, c.claim.published,
                          c.measured, fmt::format("{}: {}", to_string(c.verdict), c.reason)});
    }
    return t;
}

ReportTable failed_runs_table(const ReportData& data) {
    ReportTable t;
    t.header = {"run", "task", "model", "L", "d_model", "lr", "seed", "error", "file"};
    t.numeric = {false, false, false, true, true, true, true, false, false};
    for (const RunResult& r : data.store.failed) {
        const RunLabels& l = r.labels;
        t.rows.push_back({r.run_id, l.task, l.model, fmt::format("{}", l.n_layers),
                          fmt::format("{}", l.d_model), format_number(l.lr),
                          fmt::format("{}", l.seed), r.error, relative_source(r, data)});
    }
    return t;
}

}  // namespace statetrack::results
