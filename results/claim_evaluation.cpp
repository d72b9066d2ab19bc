// Claim evaluation against groups, verdicts and minimum depth (see claim_evaluation.h).
#include "results/claim_evaluation.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <optional>

#include "core/enum_names.h"
#include "results/claim_depth.h"

namespace statetrack::results {
namespace claim_detail {

bool any_model(const std::vector<ModelMatcher>& ms, const std::string& label, const ModelFacts& m) {
    return std::any_of(ms.begin(), ms.end(),
                       [&](const ModelMatcher& x) { return x.matches(label, m); });
}

bool any_task(const Expectation& e, const std::string& label, const TaskFacts& t) {
    return std::any_of(e.tasks.begin(), e.tasks.end(),
                       [&](const TaskMatcher& x) { return x.matches(label, t); });
}

size_t seeds_at_lr(const GroupAggregate& g) {
    const size_t id = g.in_distribution ? g.in_distribution->sequence.n_seeds : 0;
    const size_t ood = g.out_of_distribution ? g.out_of_distribution->sequence.n_seeds : 0;
    return std::max(id, ood);
}

Judgement check_seeds(Judgement j, const std::vector<size_t>& groups, int64_t min_seeds,
                      const ClaimEvidence& ev) {
    if (j.outcome != Outcome::kMet && j.outcome != Outcome::kContradicted) {
        return j;
    }
    for (const size_t i : groups) {
        const size_t n = seeds_at_lr(ev.groups[i]);
        if (static_cast<int64_t>(n) < min_seeds) {
            return {Outcome::kInconclusive,
                    fmt::format("too few seeds: {} < {} ({} L{} on {})", n, min_seeds,
                                ev.groups[i].key.model, ev.groups[i].key.n_layers,
                                ev.groups[i].key.task)};
        }
    }
    return j;
}

Judgement combine_all(const std::vector<Judgement>& parts) {
    std::vector<std::string> contradicted;
    std::vector<std::string> open;
    for (const Judgement& j : parts) {
        if (j.outcome == Outcome::kContradicted) {
            contradicted.push_back(j.reason);
        } else if (j.outcome != Outcome::kMet) {
            open.push_back(j.reason);
        }
    }
    if (parts.empty()) {
        return {Outcome::kNotTested, "no matching runs"};
    }
    if (!contradicted.empty()) {
        return {Outcome::kContradicted, fmt::format("{}", fmt::join(contradicted, "; "))};
    }
    if (!open.empty()) {
        return {Outcome::kInconclusive, fmt::format("{}", fmt::join(open, "; "))};
    }
    std::vector<std::string> met;
    for (const Judgement& j : parts) {
        met.push_back(j.reason);
    }
    return {Outcome::kMet, fmt::format("{}", fmt::join(met, "; "))};
}

}  // namespace claim_detail

using namespace claim_detail;

namespace {

constexpr auto kOutcomeNames =
    core::enum_names(Outcome::kMet, "met", Outcome::kContradicted, "contradicted",
                     Outcome::kInconclusive, "inconclusive", Outcome::kNotTested, "not tested")
        .otherwise(Outcome::kNotTested);
constexpr auto kClaimVerdicts =
    core::enum_names(ClaimVerdict::kReproduced, "reproduced", ClaimVerdict::kContradicted,
                     "contradicted", ClaimVerdict::kInconclusive, "inconclusive",
                     ClaimVerdict::kNotTested, "not tested")
        .otherwise(ClaimVerdict::kNotTested);

// "rwkv7 L1 on parity: ID sequence 1.000, OOD scaled 0.990 (3 seeds, mean 0.97 ± 0.02),
// generalises": the numbers the verdict was judged on (ID: sequence; OOD: the report's metric).
std::string group_text(const GroupAggregate& g, const GroupVerdict& v, OodMetric metric) {
    const AggregatedValue* id = g.in_distribution ? &g.in_distribution->sequence : nullptr;
    const AggregatedValue* ood =
        g.out_of_distribution ? &metric_member(*g.out_of_distribution, metric) : nullptr;
    const auto max_of = [](const AggregatedValue* a) {
        return a ? fmt::format("{:.3f}", a->max) : std::string("—");
    };
    std::string spread;
    if (const AggregatedValue* s = ood ? ood : id; s && s->n_seeds > 0) {
        spread = fmt::format(" ({} seeds, mean {:.2f}{})", s->n_seeds, s->mean,
                             s->ci95 ? fmt::format(" ± {:.2f}", *s->ci95) : "");
    }
    return fmt::format("{} L{} on {}: ID sequence {}, OOD {} {}{}, {}", g.key.model, g.key.n_layers,
                       g.key.task, max_of(id), to_string(metric), max_of(ood), spread,
                       short_name(v.verdict));
}

Judgement judge_verdict(ExpectKind kind, Verdict best) {
    const int rank = verdict_rank(best);
    switch (kind) {
        case ExpectKind::kGeneralises:
            return rank == 2   ? Judgement{Outcome::kMet, short_name(best)}
                   : rank == 1 ? Judgement{Outcome::kContradicted, "fits but does not generalise"}
                               : Judgement{Outcome::kInconclusive, "undertrained"};
        case ExpectKind::kDoesNotGeneralise:
            if (best == Verdict::kSolvesInDistribution) {
                return {Outcome::kInconclusive, "no OOD length"};
            }
            return rank == 2   ? Judgement{Outcome::kContradicted, "generalises"}
                   : rank == 1 ? Judgement{Outcome::kMet, "fits but does not generalise"}
                               : Judgement{Outcome::kInconclusive, "undertrained"};
        case ExpectKind::kFits:
            return rank >= 1 ? Judgement{Outcome::kMet, short_name(best)}
                             : Judgement{Outcome::kInconclusive, "undertrained"};
        case ExpectKind::kDoesNotFit:
            return rank == 0 ? Judgement{Outcome::kMet, "did not fit in its budget, as published"}
                             : Judgement{Outcome::kContradicted, "fits"};
        default:
            return {Outcome::kNotTested, ""};
    }
}

std::vector<size_t> matched_groups(const Expectation& e, const ClaimEvidence& ev) {
    std::vector<size_t> out;
    for (size_t i = 0; i < ev.groups.size(); ++i) {
        const GroupAggregate& g = ev.groups[i];
        if (any_task(e, g.key.task, g.task) && any_model(e.models, g.key.model, g.model) &&
            (!e.n_layers || *e.n_layers == g.key.n_layers)) {
            out.push_back(i);
        }
    }
    return out;
}

}  // namespace

std::string to_string(Outcome outcome) { return std::string(kOutcomeNames.name(outcome)); }

std::string to_string(ClaimVerdict verdict) { return std::string(kClaimVerdicts.name(verdict)); }

namespace {

// "Does not fit" is evidence only beside a control: some configuration (any model) that did fit
// the same task in its budget.
bool any_model_fits(const std::string& task, const ClaimEvidence& ev) {
    for (size_t i = 0; i < ev.groups.size(); ++i) {
        if (ev.groups[i].key.task == task && verdict_rank(ev.verdicts[i].verdict) >= 1) {
            return true;
        }
    }
    return false;
}

std::pair<Judgement, std::string> judge_verdict_kind(ExpectKind kind, const Expectation& e,
                                                     int64_t min_seeds, const ClaimEvidence& ev) {
    const std::vector<size_t> groups = matched_groups(e, ev);
    if (groups.empty()) {
        return {{Outcome::kNotTested, "no matching runs"}, ""};
    }
    // The best configuration per task (over depths and widths: "can this architecture do it"),
    // and the expectation must hold on every task it names.
    std::map<std::string, size_t> best;
    std::vector<std::string> text;
    for (const size_t i : groups) {
        const auto [it, inserted] = best.try_emplace(ev.groups[i].key.task, i);
        if (!inserted &&
            verdict_rank(ev.verdicts[i].verdict) > verdict_rank(ev.verdicts[it->second].verdict)) {
            it->second = i;
        }
        if (text.size() < 4) {
            text.push_back(group_text(ev.groups[i], ev.verdicts[i], ev.ood_metric));
        }
    }
    if (groups.size() > text.size()) {
        text.push_back(fmt::format("(+{} more)", groups.size() - text.size()));
    }
    std::vector<Judgement> per_task;
    for (const auto& [task, i] : best) {
        Judgement j = judge_verdict(kind, ev.verdicts[i].verdict);
        if (kind == ExpectKind::kDoesNotFit && j.outcome == Outcome::kMet &&
            !any_model_fits(task, ev)) {
            j = {Outcome::kInconclusive,
                 "no model fitted this task in its budget, so the budget, not the architecture, "
                 "may be the limit"};
        }
        j.reason = fmt::format("best {} L{} on {}: {}", ev.groups[i].key.model,
                               ev.groups[i].key.n_layers, task, j.reason);
        per_task.push_back(check_seeds(j, {i}, min_seeds, ev));
    }
    return {combine_all(per_task), fmt::format("{}", fmt::join(text, "; "))};
}

bool is_depth_kind(ExpectKind kind) {
    return kind == ExpectKind::kMinDepthAtMost || kind == ExpectKind::kMinDepthGrows ||
           kind == ExpectKind::kFewerLayersThan;
}

}  // namespace

ExpectationResult evaluate_expectation(const Expectation& e, int64_t min_seeds,
                                       const ClaimEvidence& ev) {
    std::vector<std::pair<Judgement, std::string>> per_kind;
    for (const ExpectKind kind : e.expect) {
        per_kind.push_back(is_depth_kind(kind) ? judge_depth(kind, e, min_seeds, ev)
                                               : judge_verdict_kind(kind, e, min_seeds, ev));
    }
    // "any of": met when one kind is met, contradicted when every tested kind is.
    ExpectationResult out;
    std::vector<std::string> measured;
    std::vector<std::string> reasons;
    size_t tested = 0;
    size_t contradicted = 0;
    for (const auto& [j, text] : per_kind) {
        if (!text.empty() && std::find(measured.begin(), measured.end(), text) == measured.end()) {
            measured.push_back(text);
        }
        if (j.outcome == Outcome::kNotTested) {
            continue;
        }
        ++tested;
        contradicted += j.outcome == Outcome::kContradicted ? 1 : 0;
        if (j.outcome == Outcome::kMet && out.outcome != Outcome::kMet) {
            out.outcome = Outcome::kMet;
            out.reason = j.reason;
        }
        reasons.push_back(j.reason);
    }
    out.measured = fmt::format("{}", fmt::join(measured, "; "));
    if (out.outcome == Outcome::kMet) {
        return out;
    }
    if (tested == 0) {
        out.reason = "no matching runs";
        return out;
    }
    out.outcome = contradicted == tested ? Outcome::kContradicted : Outcome::kInconclusive;
    out.reason = fmt::format("{}", fmt::join(reasons, "; "));
    return out;
}

ClaimResult evaluate_claim(const Claim& claim, const ClaimEvidence& ev) {
    ClaimResult out;
    out.claim = claim;
    std::vector<std::string> measured;
    std::vector<std::string> contradicted;
    std::vector<std::string> open;
    std::vector<std::string> met;
    size_t not_tested = 0;
    for (const Expectation& e : claim.expectations) {
        ExpectationResult r = evaluate_expectation(e, claim.min_seeds, ev);
        if (!r.measured.empty()) {
            measured.push_back(r.measured);
        }
        const std::string line = fmt::format("{}: {}", e.describe(), r.reason);
        switch (r.outcome) {
            case Outcome::kMet:
                met.push_back(line);
                break;
            case Outcome::kContradicted:
                contradicted.push_back(line);
                break;
            case Outcome::kInconclusive:
                open.push_back(line);
                break;
            case Outcome::kNotTested:
                ++not_tested;
                open.push_back(line);
                break;
        }
        out.expectations.push_back(std::move(r));
    }
    out.measured = measured.empty() ? "—" : fmt::format("{}", fmt::join(measured, " · "));
    if (not_tested == claim.expectations.size()) {
        out.verdict = ClaimVerdict::kNotTested;
        out.reason = "no run matches any expectation";
    } else if (!contradicted.empty()) {
        out.verdict = ClaimVerdict::kContradicted;
        out.reason = fmt::format("{}", fmt::join(contradicted, " · "));
    } else if (open.empty()) {
        out.verdict = ClaimVerdict::kReproduced;
        out.reason = fmt::format("{}", fmt::join(met, " · "));
    } else {
        out.verdict = ClaimVerdict::kInconclusive;
        out.reason = fmt::format("{}", fmt::join(open, " · "));
    }
    return out;
}

}  // namespace statetrack::results
