// Depth expectations of claims: min_depth_at_most, min_depth_grows, fewer_layers_than (see
// claim_depth.h and docs/claims.md).
#include "results/claim_depth.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace statetrack::results::claim_detail {
namespace {

// The groups behind one minimum-depth row, with the facts the matchers need.
struct RowView {
    const MinDepthRow* row = nullptr;
    std::vector<size_t> groups;  // indices into evidence.groups
};

std::vector<RowView> matched_rows(const Expectation& e, const std::vector<ModelMatcher>& models,
                                  const ClaimEvidence& ev) {
    std::vector<RowView> out;
    for (const MinDepthRow& row : ev.min_depth) {
        RowView view{&row, {}};
        for (size_t i = 0; i < ev.groups.size(); ++i) {
            const GroupKey& k = ev.groups[i].key;
            if (k.task == row.task && k.model == row.model && k.d_model == row.d_model) {
                view.groups.push_back(i);
            }
        }
        if (view.groups.empty()) {
            continue;
        }
        const GroupAggregate& g = ev.groups[view.groups.front()];
        if (any_task(e, row.task, g.task) && any_model(models, row.model, g.model)) {
            out.push_back(std::move(view));
        }
    }
    return out;
}

// A row's minimum depth at one length, "none up to D" counting as D + 1.
int64_t depth_value(const MinDepthAtLength& at) {
    return at.by_max ? *at.by_max : (at.depths_tried.empty() ? 1 : at.depths_tried.back() + 1);
}

std::string row_text(const RowView& v, bool ood_only) {
    std::vector<std::string> cells;
    for (const MinDepthAtLength& at : v.row->lengths) {
        if (!ood_only || !at.in_distribution) {
            cells.push_back(at.by_max ? fmt::format("{}@{}", *at.by_max, at.length)
                                      : fmt::format("none≤{}@{}", depth_value(at) - 1, at.length));
        }
    }
    return fmt::format("{} on {} (d{}): min depth {}", v.row->model, v.row->task, v.row->d_model,
                       fmt::join(cells, ", "));
}

bool has_ood(const MinDepthRow& row) {
    return std::any_of(row.lengths.begin(), row.lengths.end(),
                       [](const MinDepthAtLength& at) { return !at.in_distribution; });
}

Judgement judge_at_most(const RowView& v, int64_t k, const ClaimEvidence& ev) {
    const bool ood = has_ood(*v.row);
    const std::string who = fmt::format("{} on {}", v.row->model, v.row->task);
    for (const MinDepthAtLength& at : v.row->lengths) {
        if ((ood && at.in_distribution) || (at.by_max && *at.by_max <= k)) {
            continue;
        }
        bool shallow_fits = false;
        bool shallow_tried = false;
        for (const size_t i : v.groups) {
            if (ev.groups[i].key.n_layers <= k) {
                shallow_tried = true;
                shallow_fits = shallow_fits || verdict_rank(ev.verdicts[i].verdict) >= 1;
            }
        }
        if (!shallow_tried) {
            return {Outcome::kInconclusive, fmt::format("{}: depth ≤ {} not tried", who, k)};
        }
        if (!shallow_fits) {
            return {Outcome::kInconclusive,
                    fmt::format("{}: runs at depth ≤ {} undertrained", who, k)};
        }
        return {Outcome::kContradicted,
                fmt::format("{}: min depth {} at length {}", who,
                            at.by_max ? fmt::format("{}", *at.by_max)
                                      : fmt::format("none up to {}", depth_value(at) - 1),
                            at.length)};
    }
    return {Outcome::kMet, fmt::format("{}: min depth ≤ {}", who, k)};
}

Judgement judge_grows(const RowView& v) {
    const auto& ls = v.row->lengths;
    const std::string who = fmt::format("{} on {}", v.row->model, v.row->task);
    if (ls.size() < 2) {
        return {Outcome::kInconclusive, fmt::format("{}: one length only", who)};
    }
    const int64_t first = depth_value(ls.front());
    const int64_t last = depth_value(ls.back());
    if (last > first) {
        return {Outcome::kMet, fmt::format("{}: min depth {} at {} → {} at {}", who, first,
                                           ls.front().length, last, ls.back().length)};
    }
    const bool flat = std::all_of(ls.begin(), ls.end(), [&](const MinDepthAtLength& at) {
        return at.by_max && *at.by_max == first;
    });
    if (flat) {
        return {Outcome::kContradicted,
                fmt::format("{}: min depth {} at every length", who, first)};
    }
    return {Outcome::kInconclusive,
            fmt::format("{}: min depth does not grow or is not reached", who)};
}

Judgement judge_fewer(const RowView& a, const RowView& b) {
    bool less = false;
    const std::string who = fmt::format("{} vs {} on {}", a.row->model, b.row->model, a.row->task);
    for (const MinDepthAtLength& x : a.row->lengths) {
        for (const MinDepthAtLength& y : b.row->lengths) {
            if (x.length != y.length) {
                continue;
            }
            if (depth_value(y) < depth_value(x)) {
                return {Outcome::kContradicted,
                        fmt::format("{}: {} < {} layers at length {}", who, depth_value(y),
                                    depth_value(x), x.length)};
            }
            less = less || depth_value(x) < depth_value(y);
        }
    }
    return less ? Judgement{Outcome::kMet, fmt::format("{}: fewer layers", who)}
                : Judgement{Outcome::kInconclusive, fmt::format("{}: never fewer layers", who)};
}

std::vector<size_t> groups_of_rows(const std::vector<RowView>& rows) {
    std::vector<size_t> out;
    for (const RowView& r : rows) {
        out.insert(out.end(), r.groups.begin(), r.groups.end());
    }
    return out;
}

}  // namespace

std::pair<Judgement, std::string> judge_depth(ExpectKind kind, const Expectation& e,
                                              int64_t min_seeds, const ClaimEvidence& ev) {
    const std::vector<RowView> rows = matched_rows(e, e.models, ev);
    std::vector<Judgement> parts;
    std::vector<std::string> text;
    std::vector<size_t> involved = groups_of_rows(rows);
    for (const RowView& r : rows) {
        text.push_back(row_text(r, kind == ExpectKind::kMinDepthAtMost && has_ood(*r.row)));
        if (kind == ExpectKind::kMinDepthAtMost) {
            parts.push_back(judge_at_most(r, e.depth, ev));
        } else if (kind == ExpectKind::kMinDepthGrows) {
            parts.push_back(judge_grows(r));
        }
    }
    if (kind == ExpectKind::kFewerLayersThan) {
        const std::vector<RowView> others = matched_rows(e, e.than, ev);
        const std::vector<size_t> more = groups_of_rows(others);
        involved.insert(involved.end(), more.begin(), more.end());
        for (const RowView& b : others) {
            text.push_back(row_text(b, false));
            for (const RowView& a : rows) {
                if (a.row->task == b.row->task) {
                    parts.push_back(judge_fewer(a, b));
                }
            }
        }
    }
    return {check_seeds(combine_all(parts), involved, min_seeds, ev),
            fmt::format("{}", fmt::join(text, "; "))};
}

}  // namespace statetrack::results::claim_detail
