// Report data assembly (see report_data.h).
#include "results/report_data.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <tuple>

namespace statetrack::results {

std::vector<const GroupAggregate*> ReportData::groups_of(const std::string& task) const {
    std::vector<const GroupAggregate*> out;
    for (const GroupAggregate& g : groups) {
        if (g.key.task == task) {
            out.push_back(&g);
        }
    }
    return out;
}

std::optional<BestCell> ReportData::best_cell(const std::string& task,
                                              const std::string& model) const {
    std::optional<BestCell> best;
    for (const GroupAggregate& g : groups) {  // ascending depth, then width, within a model
        if (g.key.task != task || g.key.model != model) {
            continue;
        }
        const bool ood = g.out_of_distribution.has_value();
        const auto& scope = ood ? g.out_of_distribution : g.in_distribution;
        if (!scope) {
            continue;
        }
        const double value = scope->sequence.max;
        if (!best || value > best->value) {
            best = BestCell{value, ood, g.key.n_layers, g.key.d_model, std::nullopt};
            if (verdicts.size() == groups.size()) {
                best->verdict = verdict_of(g).verdict;
            }
        }
    }
    return best;
}

namespace {

size_t index_in(const std::vector<GroupAggregate>& groups, const GroupAggregate& group) {
    for (size_t i = 0; i < groups.size(); ++i) {
        if (groups[i].key == group.key) {
            return i;
        }
    }
    throw std::invalid_argument(fmt::format("report: no group {} / {} / L{} / d{}", group.key.task,
                                            group.key.model, group.key.n_layers,
                                            group.key.d_model));
}

}  // namespace

const GroupVerdict& ReportData::verdict_of(const GroupAggregate& group) const {
    return verdicts.at(index_in(groups, group));
}

const PredictionResult& ReportData::prediction_of(const GroupAggregate& group) const {
    return predictions.at(index_in(groups, group));
}

std::optional<std::string> ReportData::flag_of(const GroupAggregate& group) const {
    const size_t i = index_in(groups, group);
    return disagreement(predictions.at(i).prediction, verdicts.at(i).verdict);
}

std::vector<std::string> ReportData::classes() const {
    std::vector<std::string> out;
    for (const ReportTask& t : task_order) {
        if (std::find(out.begin(), out.end(), t.facts.algebraic_class) == out.end()) {
            out.push_back(t.facts.algebraic_class);
        }
    }
    return out;
}

ReportData make_report_data(ResultsStore store, ReportOptions options) {
    if (!(options.fit_threshold > 0.0 && options.fit_threshold <= 1.0)) {
        throw std::invalid_argument(
            fmt::format("fit threshold {} is not in (0, 1]", options.fit_threshold));
    }
    const std::vector<Claim> claims =
        claims_for_report(options.published_claims, options.claims_files);
    ReportData data;
    data.options = std::move(options);
    data.store = std::move(store);
    data.groups = aggregate_groups(data.store.complete);
    data.min_depth = compute_min_depth(data.groups, data.options.threshold);
    std::map<std::string, TaskFacts> tasks;
    std::set<std::string> models;
    for (const GroupAggregate& g : data.groups) {
        tasks.emplace(g.key.task, g.task);
        models.insert(g.key.model);
    }
    for (const auto& [label, facts] : tasks) {
        data.task_order.push_back({label, facts});
    }
    std::stable_sort(data.task_order.begin(), data.task_order.end(),
                     [](const ReportTask& a, const ReportTask& b) {
                         return algebraic_class_rank(a.facts.algebraic_class) <
                                algebraic_class_rank(b.facts.algebraic_class);
                     });
    data.models.assign(models.begin(), models.end());
    data.verdicts = group_verdicts(data.store.complete, data.groups, data.options.fit_threshold,
                                   data.options.threshold, data.options.ood_metric);
    for (const GroupAggregate& g : data.groups) {
        data.predictions.push_back(predict(g.task, g.model.family, g.key.n_layers));
    }
    const ClaimEvidence evidence{data.groups, data.verdicts, data.min_depth,
                                 data.options.ood_metric};
    for (const Claim& c : claims) {
        data.claims.push_back(evaluate_claim(c, evidence));
    }
    return data;
}

}  // namespace statetrack::results
