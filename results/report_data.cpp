// Report data assembly (see report_data.h).
#include "results/report_data.h"

#include <algorithm>
#include <map>
#include <set>
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
            best = BestCell{value, ood, g.key.n_layers, g.key.d_model};
        }
    }
    return best;
}

std::vector<std::string> ReportData::classes() const {
    std::vector<std::string> out;
    for (const TaskInfo& t : task_order) {
        if (std::find(out.begin(), out.end(), t.facts.algebraic_class) == out.end()) {
            out.push_back(t.facts.algebraic_class);
        }
    }
    return out;
}

ReportData make_report_data(ResultsStore store, ReportOptions options) {
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
                     [](const TaskInfo& a, const TaskInfo& b) {
                         return algebraic_class_rank(a.facts.algebraic_class) <
                                algebraic_class_rank(b.facts.algebraic_class);
                     });
    data.models.assign(models.begin(), models.end());
    return data;
}

}  // namespace statetrack::results
