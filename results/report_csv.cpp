// CSV writers (see report_csv.h).
#include "results/report_csv.h"

#include <fmt/format.h>

namespace statetrack::results {
namespace {

std::string num(double v) { return fmt::format("{}", v); }

std::string integer(int64_t v) { return fmt::format("{}", v); }

std::string boolean(bool v) { return v ? "true" : "false"; }

const std::vector<std::string> kResultsHeader = {"run_id",
                                                 "status",
                                                 "error",
                                                 "task",
                                                 "model",
                                                 "n_layers",
                                                 "d_model",
                                                 "lr",
                                                 "seed",
                                                 "model_type",
                                                 "parameters",
                                                 "state_size",
                                                 "spec",
                                                 "formulation",
                                                 "algebraic_class",
                                                 "circuit_class",
                                                 "num_classes",
                                                 "chance",
                                                 "train_min_length",
                                                 "train_max_length",
                                                 "split",
                                                 "mode",
                                                 "length",
                                                 "examples",
                                                 "in_distribution",
                                                 "token_accuracy",
                                                 "sequence_accuracy",
                                                 "scaled_accuracy",
                                                 "steps",
                                                 "stop_reason",
                                                 "wall_seconds",
                                                 "git_commit",
                                                 "platform",
                                                 "source"};

std::vector<std::string> label_fields(const RunResult& r) {
    const RunLabels& l = r.labels;
    return {r.run_id,
            to_string(r.status),
            r.error,
            l.task,
            l.model,
            integer(l.n_layers),
            integer(l.d_model),
            num(l.lr),
            integer(l.seed)};
}

void add_summary_rows(std::string& out, const ReportData& data, const GroupAggregate& g,
                      const std::string& scope, const std::string& length,
                      const AccuracyAggregate& a) {
    const std::string verdict = short_name(data.verdict_of(g).verdict);
    const std::string prediction = to_string(data.prediction_of(g).prediction);
    const std::string flag = data.flag_of(g) ? "disagrees" : "";
    const std::pair<const char*, const AggregatedValue*> metrics[] = {
        {"token", &a.token}, {"sequence", &a.sequence}, {"scaled", &a.scaled}};
    for (const auto& [metric, v] : metrics) {
        out += csv_row({g.key.task, g.task.algebraic_class, g.task.circuit_class, g.key.model,
                        integer(g.key.n_layers), integer(g.key.d_model), scope, length, metric,
                        num(v->max), integer(static_cast<int64_t>(v->n_runs)),
                        v->n_seeds == 0 ? "" : num(v->mean), v->ci95 ? num(*v->ci95) : "",
                        integer(static_cast<int64_t>(v->n_seeds)), num(g.selected_lr),
                        boolean(g.selected_on_ood), verdict, prediction, flag});
    }
}

}  // namespace

std::string csv_field(const std::string& value) {
    if (value.find_first_of(",\"\n\r") == std::string::npos) {
        return value;
    }
    std::string out = "\"";
    for (const char c : value) {
        out += c == '"' ? "\"\"" : std::string(1, c);
    }
    return out + "\"";
}

std::string csv_row(const std::vector<std::string>& fields) {
    std::string out;
    for (size_t i = 0; i < fields.size(); ++i) {
        out += (i == 0 ? "" : ",") + csv_field(fields[i]);
    }
    return out + "\n";
}

std::string results_csv(const ResultsStore& store) {
    std::string out = csv_row(kResultsHeader);
    for (const RunResult& r : store.complete) {
        const TaskFacts& t = r.task;
        for (const EvalEntry& e : r.evaluation) {
            std::vector<std::string> row = label_fields(r);
            const std::vector<std::string> rest = {r.model.type,
                                                   integer(r.model.parameters),
                                                   integer(r.model.state_size),
                                                   t.spec,
                                                   t.formulation,
                                                   t.algebraic_class,
                                                   t.circuit_class,
                                                   integer(t.num_classes),
                                                   num(t.chance),
                                                   integer(t.train_lengths.min),
                                                   integer(t.train_lengths.max),
                                                   e.split,
                                                   to_string(e.mode),
                                                   integer(e.length),
                                                   integer(e.examples),
                                                   boolean(e.in_distribution),
                                                   num(e.accuracy.token),
                                                   num(e.accuracy.sequence),
                                                   num(e.accuracy.scaled),
                                                   integer(r.training.steps),
                                                   to_string(r.training.stop_reason),
                                                   num(r.wall_seconds),
                                                   r.environment.git_commit,
                                                   platform_of(r.environment),
                                                   r.source};
            row.insert(row.end(), rest.begin(), rest.end());
            out += csv_row(row);
        }
    }
    for (const RunResult& r : store.failed) {
        std::vector<std::string> row = label_fields(r);
        row.resize(kResultsHeader.size());
        row.back() = r.source;
        out += csv_row(row);
    }
    return out;
}

std::string summary_csv(const ReportData& data) {
    std::string out =
        csv_row({"task", "algebraic_class", "circuit_class", "model", "n_layers", "d_model",
                 "scope", "length", "metric", "max", "n_runs", "mean", "ci95", "n_seeds",
                 "selected_lr", "selected_on_ood", "verdict", "prediction", "flag"});
    for (const GroupAggregate& g : data.groups) {
        if (g.in_distribution) {
            add_summary_rows(out, data, g, "in_distribution", "", *g.in_distribution);
        }
        if (g.out_of_distribution) {
            add_summary_rows(out, data, g, "out_of_distribution", "", *g.out_of_distribution);
        }
        for (const LengthAggregate& p : g.lengths) {
            add_summary_rows(out, data, g, "length", integer(p.length), p.accuracy);
        }
    }
    return out;
}

std::string claims_csv(const ReportData& data) {
    std::string out =
        csv_row({"id", "source", "statement", "published", "measured", "verdict", "reason"});
    for (const ClaimResult& c : data.claims) {
        out += csv_row({c.claim.id, c.claim.source, c.claim.statement, c.claim.published,
                        c.measured, to_string(c.verdict), c.reason});
    }
    return out;
}

std::string min_depth_csv(const ReportData& data) {
    std::string out =
        csv_row({"task", "algebraic_class", "model", "d_model", "length", "in_distribution",
                 "threshold", "statistic", "min_depth", "depths_tried"});
    for (const MinDepthRow& row : data.min_depth) {
        std::string cls;
        for (const ReportTask& t : data.task_order) {
            cls = t.label == row.task ? t.facts.algebraic_class : cls;
        }
        for (const MinDepthAtLength& at : row.lengths) {
            std::string tried;
            for (const int64_t d : at.depths_tried) {
                tried += (tried.empty() ? "" : ";") + integer(d);
            }
            for (const auto& [statistic, depth] :
                 {std::make_pair("max", at.by_max), std::make_pair("mean", at.by_mean)}) {
                out += csv_row({row.task, cls, row.model, integer(row.d_model), integer(at.length),
                                boolean(at.in_distribution), num(data.options.threshold), statistic,
                                depth ? integer(*depth) : "", tried});
            }
        }
    }
    return out;
}

}  // namespace statetrack::results
