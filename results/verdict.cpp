// Run and group verdicts (see verdict.h).
#include "results/verdict.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <optional>
#include <stdexcept>

#include "core/enum_names.h"

namespace statetrack::results {
namespace {

// One table per spelling: the report's text, the short name (CSV, claims) and the one-letter mark.
constexpr auto kVerdictTexts =
    core::enum_names(Verdict::kGeneralises, "generalises", Verdict::kFitsOnly,
                     "fits, does not generalise", Verdict::kSolvesInDistribution,
                     "solves in distribution", Verdict::kUndertrained,
                     "does not fit in budget: no verdict on expressivity")
        .otherwise(Verdict::kUndertrained);
constexpr auto kVerdictShortNames =
    core::enum_names(Verdict::kGeneralises, "generalises", Verdict::kFitsOnly, "fits_only",
                     Verdict::kSolvesInDistribution, "solves_in_distribution",
                     Verdict::kUndertrained, "undertrained")
        .otherwise(Verdict::kUndertrained);
constexpr auto kVerdictMarks =
    core::enum_names(Verdict::kGeneralises, "G", Verdict::kFitsOnly, "F",
                     Verdict::kSolvesInDistribution, "S", Verdict::kUndertrained, "U")
        .otherwise(Verdict::kUndertrained);
constexpr auto kOodMetricNames = core::enum_names(OodMetric::kScaled, "scaled", OodMetric::kToken,
                                                  "token", OodMetric::kSequence, "sequence")
                                     .otherwise(OodMetric::kScaled);

std::string runs_word(size_t n) { return n == 1 ? "run" : "runs"; }

// "stopped at max_steps 1500 (2 runs)" per distinct stop reason, with its largest step count.
std::vector<std::string> budget_facts(const std::vector<const RunResult*>& runs) {
    std::map<std::string, std::pair<int64_t, size_t>> by_reason;  // reason -> (max steps, runs)
    for (const RunResult* r : runs) {
        auto& [steps, n] = by_reason[to_string(r->training.stop_reason)];
        steps = std::max(steps, r->training.steps);
        ++n;
    }
    std::vector<std::string> out;
    for (const auto& [reason, fact] : by_reason) {
        out.push_back(fmt::format("stopped at {} {} ({} {})", reason, fact.first, fact.second,
                                  runs_word(fact.second)));
    }
    return out;
}

struct BestNumbers {
    std::optional<double> id;
    std::optional<double> ood;
};

std::string verdict_reason(const GroupVerdict& v, const BestNumbers& best, double fit_threshold,
                           double threshold, OodMetric metric) {
    const std::string ood = to_string(metric);
    const auto num = [](const std::optional<double>& x) {
        return x ? fmt::format("{:.3f}", *x) : std::string("—");
    };
    const std::string share =
        fmt::format("{}/{} {}", v.n_with_verdict, v.n_runs, runs_word(v.n_runs));
    switch (v.verdict) {
        case Verdict::kGeneralises:
            return fmt::format(
                "{} generalise (ID sequence accuracy ≥ {}, OOD {} accuracy ≥ {}; best OOD {})",
                share, fit_threshold, ood, threshold, num(best.ood));
        case Verdict::kSolvesInDistribution:
            return fmt::format("{} fit (ID sequence accuracy ≥ {}; best {}); no OOD length", share,
                               fit_threshold, num(best.id));
        case Verdict::kFitsOnly:
            return fmt::format(
                "{} fit (ID sequence accuracy ≥ {}), none generalises (best OOD {} accuracy {} < "
                "{})",
                share, fit_threshold, ood, num(best.ood), threshold);
        case Verdict::kUndertrained:
            break;
    }
    return fmt::format("no run fits: best ID sequence accuracy {} < {}; {}", num(best.id),
                       fit_threshold, fmt::join(v.budget, ", "));
}

}  // namespace

std::string to_string(Verdict verdict) { return std::string(kVerdictTexts.name(verdict)); }

std::string short_name(Verdict verdict) { return std::string(kVerdictShortNames.name(verdict)); }

char verdict_mark(Verdict verdict) { return kVerdictMarks.name(verdict)[0]; }

int verdict_rank(Verdict verdict) {
    switch (verdict) {
        case Verdict::kGeneralises:
        case Verdict::kSolvesInDistribution:
            return 2;
        case Verdict::kFitsOnly:
            return 1;
        case Verdict::kUndertrained:
            break;
    }
    return 0;
}

std::string to_string(OodMetric metric) { return std::string(kOodMetricNames.name(metric)); }

OodMetric parse_ood_metric(const std::string& text) {
    if (const std::optional<OodMetric> metric = kOodMetricNames.find(text)) {
        return *metric;
    }
    throw std::invalid_argument(
        fmt::format("unknown OOD metric \"{}\" (allowed: {})", text, kOodMetricNames.list("")));
}

double metric_value(const Accuracy& accuracy, OodMetric metric) {
    return metric_member(accuracy, metric);
}

Verdict run_verdict(const RunProfile& p, double fit_threshold, double threshold, OodMetric metric) {
    const auto generalises = [&] {
        return p.ood_summary && metric_value(*p.ood_summary, metric) >= threshold;
    };
    if (!p.id_summary) {  // judged on OOD alone
        return generalises() ? Verdict::kGeneralises : Verdict::kUndertrained;
    }
    if (p.id_summary->sequence < fit_threshold) {
        return Verdict::kUndertrained;
    }
    if (!p.ood_summary) {
        return Verdict::kSolvesInDistribution;
    }
    return generalises() ? Verdict::kGeneralises : Verdict::kFitsOnly;
}

GroupVerdict group_verdict(const GroupKey& key, const std::vector<const RunResult*>& runs,
                           double fit_threshold, double threshold, OodMetric metric) {
    if (runs.empty()) {
        throw std::invalid_argument(
            fmt::format("group_verdict: no runs for {} / {}", key.task, key.model));
    }
    GroupVerdict v;
    v.key = key;
    v.n_runs = runs.size();
    BestNumbers best;
    std::vector<Verdict> verdicts;
    for (const RunResult* r : runs) {
        const RunProfile p = make_run_profile(*r);
        const Verdict rv = run_verdict(p, fit_threshold, threshold, metric);
        verdicts.push_back(rv);
        ++v.counts[static_cast<size_t>(rv)];
        if (verdict_rank(rv) > verdict_rank(v.verdict) || verdicts.size() == 1) {
            v.verdict = rv;
        }
        if (p.id_summary) {
            best.id = std::max(best.id.value_or(0.0), p.id_summary->sequence);
        }
        if (p.ood_summary) {
            best.ood = std::max(best.ood.value_or(-1.0), metric_value(*p.ood_summary, metric));
        }
    }
    for (const Verdict rv : verdicts) {
        v.n_with_verdict += verdict_rank(rv) == verdict_rank(v.verdict) ? 1 : 0;
    }
    v.budget = budget_facts(runs);
    v.reason = verdict_reason(v, best, fit_threshold, threshold, metric);
    return v;
}

std::vector<GroupVerdict> group_verdicts(const std::vector<RunResult>& runs,
                                         const std::vector<GroupAggregate>& groups,
                                         double fit_threshold, double threshold, OodMetric metric) {
    std::map<GroupKey, std::vector<const RunResult*>> by_key;
    for (const RunResult& r : runs) {
        by_key[group_key_of(r.labels)].push_back(&r);
    }
    std::vector<GroupVerdict> out;
    for (const GroupAggregate& g : groups) {
        out.push_back(group_verdict(g.key, by_key[g.key], fit_threshold, threshold, metric));
    }
    return out;
}

}  // namespace statetrack::results
