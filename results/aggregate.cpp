// Aggregation over seeds and learning rates (see aggregate.h for the definitions).
#include "results/aggregate.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>
#include <stdexcept>
#include <tuple>

#include "results/student_t.h"

namespace statetrack::results {
namespace {

using AccuracyOf = std::function<std::optional<Accuracy>(const RunProfile&)>;

struct GroupRuns {
    std::vector<const RunResult*> runs;
    std::vector<RunProfile> profiles;
};

AggregatedValue aggregate_value(const std::vector<double>& all, const std::vector<double>& at_lr) {
    AggregatedValue v;
    const SampleStats every = describe_sample(all);
    v.n_runs = every.n;
    v.max = every.max;
    if (!at_lr.empty()) {
        const SampleStats seeds = describe_sample(at_lr);
        v.n_seeds = seeds.n;
        v.mean = seeds.mean;
        v.ci95 = seeds.ci95;
    }
    return v;
}

std::optional<AccuracyAggregate> aggregate_accuracy(const GroupRuns& g, double selected_lr,
                                                    const AccuracyOf& accuracy_of) {
    std::vector<double> all[3];
    std::vector<double> at_lr[3];
    for (size_t i = 0; i < g.runs.size(); ++i) {
        const std::optional<Accuracy> a = accuracy_of(g.profiles[i]);
        if (!a) {
            continue;
        }
        const double values[3] = {a->token, a->sequence, a->scaled};
        for (int m = 0; m < 3; ++m) {
            all[m].push_back(values[m]);
            if (g.runs[i]->labels.lr == selected_lr) {
                at_lr[m].push_back(values[m]);
            }
        }
    }
    if (all[0].empty()) {
        return std::nullopt;
    }
    return AccuracyAggregate{aggregate_value(all[0], at_lr[0]), aggregate_value(all[1], at_lr[1]),
                             aggregate_value(all[2], at_lr[2])};
}

// The lr with the best mean (sequence, token) accuracy over its seeds on ID lengths (OOD when
// the group has none); ties go to the smaller lr, since lrs are scanned in ascending order.
double select_lr(const GroupRuns& g, const std::vector<double>& lrs, bool on_ood) {
    double best_lr = lrs.front();
    std::optional<std::pair<double, double>> best;
    for (const double lr : lrs) {
        double sequence = 0.0;
        double token = 0.0;
        size_t n = 0;
        for (size_t i = 0; i < g.runs.size(); ++i) {
            const auto& summary = on_ood ? g.profiles[i].ood_summary : g.profiles[i].id_summary;
            if (g.runs[i]->labels.lr == lr && summary) {
                sequence += summary->sequence;
                token += summary->token;
                ++n;
            }
        }
        if (n == 0) {
            continue;
        }
        const std::pair<double, double> score{sequence / n, token / n};
        if (!best || score > *best) {
            best = score;
            best_lr = lr;
        }
    }
    return best_lr;
}

GroupAggregate aggregate_group(const GroupKey& key, const GroupRuns& g) {
    GroupAggregate out;
    out.key = key;
    out.task = g.runs.front()->task;
    out.model = g.runs.front()->model;
    std::set<double> lrs;
    std::set<int64_t> seeds;
    std::set<int64_t> lengths;
    bool any_id = false;
    for (size_t i = 0; i < g.runs.size(); ++i) {
        out.run_ids.push_back(g.runs[i]->run_id);
        lrs.insert(g.runs[i]->labels.lr);
        seeds.insert(g.runs[i]->labels.seed);
        any_id = any_id || g.profiles[i].id_summary.has_value();
        for (const auto& entry : g.profiles[i].by_length) {
            lengths.insert(entry.first);
        }
    }
    out.lrs.assign(lrs.begin(), lrs.end());
    out.seeds.assign(seeds.begin(), seeds.end());
    out.selected_on_ood = !any_id;
    out.selected_lr = select_lr(g, out.lrs, out.selected_on_ood);
    out.in_distribution =
        aggregate_accuracy(g, out.selected_lr, [](const RunProfile& p) { return p.id_summary; });
    out.out_of_distribution =
        aggregate_accuracy(g, out.selected_lr, [](const RunProfile& p) { return p.ood_summary; });
    for (const int64_t length : lengths) {
        const auto at_length = [length](const RunProfile& p) -> std::optional<Accuracy> {
            const auto it = p.by_length.find(length);
            return it == p.by_length.end() ? std::nullopt : std::optional<Accuracy>(it->second);
        };
        out.lengths.push_back({length, out.task.train_lengths.contains(length),
                               *aggregate_accuracy(g, out.selected_lr, at_length)});
    }
    return out;
}

std::optional<Accuracy> mean_of(const std::vector<Accuracy>& values) {
    if (values.empty()) {
        return std::nullopt;
    }
    Accuracy sum;
    for (const Accuracy& a : values) {
        sum.token += a.token;
        sum.sequence += a.sequence;
        sum.scaled += a.scaled;
    }
    const double n = static_cast<double>(values.size());
    return Accuracy{sum.token / n, sum.sequence / n, sum.scaled / n};
}

}  // namespace

GroupKey group_key_of(const RunLabels& labels) {
    return {labels.task, labels.model, labels.n_layers, labels.d_model};
}

bool GroupKey::operator<(const GroupKey& o) const {
    return std::tie(task, model, n_layers, d_model) <
           std::tie(o.task, o.model, o.n_layers, o.d_model);
}

bool GroupKey::operator==(const GroupKey& o) const {
    return std::tie(task, model, n_layers, d_model) ==
           std::tie(o.task, o.model, o.n_layers, o.d_model);
}

SampleStats describe_sample(const std::vector<double>& values) {
    if (values.empty()) {
        throw std::invalid_argument("describe_sample: no values");
    }
    SampleStats s;
    s.n = values.size();
    double sum = 0.0;
    s.max = values.front();
    for (const double v : values) {
        sum += v;
        s.max = std::max(s.max, v);
    }
    s.mean = sum / static_cast<double>(s.n);
    if (s.n >= 2) {
        double squares = 0.0;
        for (const double v : values) {
            squares += (v - s.mean) * (v - s.mean);
        }
        const double sd = std::sqrt(squares / static_cast<double>(s.n - 1));
        const double t = student_t_quantile(0.975, static_cast<double>(s.n - 1));
        s.ci95 = t * sd / std::sqrt(static_cast<double>(s.n));
    }
    return s;
}

RunProfile make_run_profile(const RunResult& run) {
    RunProfile p;
    const bool any_parallel =
        std::any_of(run.evaluation.begin(), run.evaluation.end(),
                    [](const EvalEntry& e) { return e.mode == EvalMode::kParallel; });
    p.mode = any_parallel ? EvalMode::kParallel : EvalMode::kStep;
    std::map<int64_t, std::pair<Accuracy, int64_t>> pooled;  // length -> (weighted sums, examples)
    for (const EvalEntry& e : run.evaluation) {
        if (e.mode != p.mode) {
            continue;
        }
        auto& [sum, examples] = pooled[e.length];
        const double w = static_cast<double>(e.examples);
        sum.token += w * e.accuracy.token;
        sum.sequence += w * e.accuracy.sequence;
        sum.scaled += w * e.accuracy.scaled;
        examples += e.examples;
        p.in_distribution[e.length] = e.in_distribution;
    }
    std::vector<Accuracy> id;
    std::vector<Accuracy> ood;
    for (const auto& [length, pool] : pooled) {
        const double n = static_cast<double>(pool.second);
        const Accuracy a{pool.first.token / n, pool.first.sequence / n, pool.first.scaled / n};
        p.by_length[length] = a;
        (p.in_distribution[length] ? id : ood).push_back(a);
    }
    p.id_summary = mean_of(id);
    p.ood_summary = mean_of(ood);
    return p;
}

std::vector<GroupAggregate> aggregate_groups(const std::vector<RunResult>& runs) {
    std::map<GroupKey, GroupRuns> groups;
    for (const RunResult& run : runs) {
        if (run.status != RunStatus::kComplete) {
            throw std::invalid_argument("aggregate_groups: run '" + run.run_id +
                                        "' is not complete");
        }
        GroupRuns& g = groups[group_key_of(run.labels)];
        g.runs.push_back(&run);
        g.profiles.push_back(make_run_profile(run));
    }
    std::vector<GroupAggregate> out;
    for (const auto& [key, g] : groups) {
        out.push_back(aggregate_group(key, g));
    }
    return out;
}

}  // namespace statetrack::results
