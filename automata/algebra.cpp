// classify(): the algebraic reading of a DFA's transition monoid. See algebra.h for the classes.
// Steps: enumerate the monoid; Green's classes; aperiodicity = every H-class is a singleton;
// the maximal subgroups are the H-classes of idempotents, isomorphic within a J-class, so one
// per J-class is analysed as an abstract group (order, abelian, solvable) and counted once per
// idempotent; the stable semigroup S = eta(Sigma^s) decides quasi-aperiodicity: S contains a
// nontrivial group iff some idempotent e in S shares its H-class with another element of S
// (if x in S has x^w x != x^w, then x^w and x^w x are two such elements, both in S).
#include "automata/algebra.h"

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "automata/finite_group.h"
#include "automata/green_relations.h"
#include "automata/transformation_monoid.h"
#include "core/enum_names.h"

namespace statetrack::automata {

namespace {

constexpr auto kMonoidNames =
    core::enum_names(MonoidClass::kAperiodic, "aperiodic", MonoidClass::kSolvable, "solvable",
                     MonoidClass::kNonSolvable, "non-solvable")
        .otherwise("unknown");
constexpr auto kCircuitNames = core::enum_names(CircuitClass::kAC0, "AC0", CircuitClass::kACC0,
                                                "ACC0", CircuitClass::kNC1Complete, "NC1-complete")
                                   .otherwise("unknown");

}  // namespace

std::string to_string(MonoidClass c) { return std::string(kMonoidNames.name(c)); }

std::string to_string(CircuitClass c) { return std::string(kCircuitNames.name(c)); }

namespace {

using ElementSet = std::vector<uint64_t>;  // bitset over monoid element indices

// The period of a transformation's powers: the lcm of the cycle lengths of its functional graph
// (saturating at SIZE_MAX). For an element of a group H-class this is its order in the group.
size_t transformation_period(const std::vector<State>& images) {
    const size_t degree = images.size();
    std::vector<size_t> seen_at(degree, SIZE_MAX);
    std::vector<char> done(degree, 0);
    size_t period = 1;
    for (size_t start = 0; start < degree; ++start) {
        size_t x = start;
        size_t steps = 0;
        while (!done[x] && seen_at[x] == SIZE_MAX) {
            seen_at[x] = steps++;
            x = static_cast<size_t>(images[x]);
        }
        if (!done[x] && seen_at[x] != SIZE_MAX) {  // closed a new cycle
            const size_t length = steps - seen_at[x];
            const size_t g = std::gcd(period, length);
            period = period / g > SIZE_MAX / length ? SIZE_MAX : period / g * length;
        }
        for (size_t y = start; !done[y]; y = static_cast<size_t>(images[y])) {
            done[y] = 1;
        }
    }
    return period;
}

// The group H_e (members = its elements, e among them) as an abstract group; count left at 0.
GroupFound describe_group(const TransformationMonoid& m, size_t e,
                          const std::vector<size_t>& members) {
    std::unordered_map<size_t, size_t> local;
    for (size_t i = 0; i < members.size(); ++i) {
        local.emplace(members[i], i);
    }
    const IndexGroup group(members.size(), local.at(e), [&](size_t a, size_t b) {
        return local.at(m.multiply(members[a], members[b]));
    });
    const std::vector<size_t> generators = group.generating_set();
    GroupFound found;
    found.order = members.size();
    found.abelian = group.generators_commute(generators);
    found.solvable = group.derived_series_orders(generators).back() == 1;
    for (const size_t x : members) {
        found.max_element_order =
            std::max(found.max_element_order, transformation_period(m.transformation(x)));
    }
    return found;
}

std::vector<GroupFound> maximal_subgroups(const TransformationMonoid& m, const GreenClasses& green,
                                          const std::vector<char>& idempotent) {
    // One idempotent per J-class stands for all of that class's idempotents.
    std::vector<size_t> representative(green.num_j, SIZE_MAX), idempotents(green.num_j, 0);
    std::unordered_map<uint64_t, size_t> h_class_of_j;
    for (size_t x = 0; x < m.size(); ++x) {
        if (idempotent[x] && idempotents[green.j[x]]++ == 0) {
            representative[green.j[x]] = x;
            h_class_of_j.emplace(green.h_key(x), green.j[x]);
        }
    }
    std::vector<std::vector<size_t>> members(green.num_j);
    for (size_t x = 0; x < m.size(); ++x) {
        const auto it = h_class_of_j.find(green.h_key(x));
        if (it != h_class_of_j.end()) {
            members[it->second].push_back(x);
        }
    }
    std::vector<GroupFound> groups;
    for (size_t j = 0; j < green.num_j; ++j) {
        if (members[j].size() <= 1) {
            continue;
        }
        GroupFound g = describe_group(m, representative[j], members[j]);
        const auto same = std::find_if(groups.begin(), groups.end(), [&](const GroupFound& o) {
            return o.order == g.order && o.abelian == g.abelian && o.solvable == g.solvable &&
                   o.max_element_order == g.max_element_order;
        });
        if (same != groups.end()) {
            same->count += idempotents[j];
        } else {
            g.count = idempotents[j];
            groups.push_back(g);
        }
    }
    std::sort(groups.begin(), groups.end(), [](const GroupFound& a, const GroupFound& b) {
        if (a.order != b.order) {
            return a.order > b.order;  // largest first
        }
        return std::tie(a.abelian, a.solvable) < std::tie(b.abelian, b.solvable);
    });
    return groups;
}

bool h_trivial(const TransformationMonoid& m, const GreenClasses& green) {
    std::unordered_set<uint64_t> seen;
    for (size_t x = 0; x < m.size(); ++x) {
        if (!seen.insert(green.h_key(x)).second) {
            return false;
        }
    }
    return true;
}

// Calls f(x) for every element x in the set.
template <typename F>
void for_each_element(const ElementSet& set, const F& f) {
    for (size_t w = 0; w < set.size(); ++w) {
        for (uint64_t bits = set[w]; bits != 0; bits &= bits - 1) {
            f(w * 64 + static_cast<size_t>(__builtin_ctzll(bits)));
        }
    }
}

// eta(Sigma^(k+1)) from eta(Sigma^k).
ElementSet next_length(const TransformationMonoid& m, const ElementSet& set) {
    ElementSet next(set.size(), 0);
    for_each_element(set, [&](size_t x) {
        for (size_t a = 0; a < m.num_letters(); ++a) {
            const size_t y = m.right(x, static_cast<Symbol>(a));
            next[y / 64] |= uint64_t{1} << (y % 64);
        }
    });
    return next;
}

struct Stability {
    size_t index = 1;
    ElementSet stable;  // eta(Sigma^index)
};

// The sets eta(Sigma^k), k >= 1, are eventually periodic: equal for k, k' >= k0 exactly when the
// period p divides k - k'. So s is the least multiple of p that is >= k0. Brent's cycle finding
// gives k0 and p while holding only two sets.
Stability stable_semigroup(const TransformationMonoid& m) {
    ElementSet first((m.size() + 63) / 64, 0);
    for (size_t a = 0; a < m.num_letters(); ++a) {
        const size_t x = m.letter(static_cast<Symbol>(a));
        first[x / 64] |= uint64_t{1} << (x % 64);
    }

    size_t power = 1, period = 1;
    ElementSet tortoise = first, hare = next_length(m, first);
    while (tortoise != hare) {
        if (power == period) {
            tortoise = hare;
            power *= 2;
            period = 0;
        }
        hare = next_length(m, hare);
        ++period;
    }
    tortoise = hare = first;
    for (size_t i = 0; i < period; ++i) {
        hare = next_length(m, hare);
    }
    size_t cycle_start = 1;  // tortoise holds eta(Sigma^cycle_start)
    while (tortoise != hare) {
        tortoise = next_length(m, tortoise);
        hare = next_length(m, hare);
        ++cycle_start;
    }
    Stability result;
    result.index = (cycle_start + period - 1) / period * period;
    for (size_t k = cycle_start; k < result.index; ++k) {
        tortoise = next_length(m, tortoise);
    }
    result.stable = std::move(tortoise);
    return result;
}

bool stable_semigroup_aperiodic(const ElementSet& stable, const GreenClasses& green,
                                const std::vector<char>& idempotent) {
    std::unordered_map<uint64_t, std::pair<size_t, bool>> in_stable;  // H-class -> (count, has e)
    for_each_element(stable, [&](size_t x) {
        auto& entry = in_stable[green.h_key(x)];
        ++entry.first;
        entry.second = entry.second || idempotent[x];
    });
    for (const auto& [key, entry] : in_stable) {
        if (entry.second && entry.first > 1) {
            return false;
        }
    }
    return true;
}

}  // namespace

AlgebraReport classify(const Dfa& dfa, size_t max_monoid_size) {
    const TransformationMonoid monoid(dfa, max_monoid_size);
    const GreenClasses green = green_classes(monoid);
    std::vector<char> idempotent(monoid.size(), 0);
    AlgebraReport report;
    for (size_t x = 0; x < monoid.size(); ++x) {
        idempotent[x] = monoid.is_idempotent(x) ? 1 : 0;
        report.idempotents += idempotent[x];
    }
    report.dfa_states = static_cast<size_t>(dfa.num_states());
    report.monoid_size = monoid.size();
    report.groups = maximal_subgroups(monoid, green, idempotent);
    bool all_solvable = true;
    for (const GroupFound& g : report.groups) {
        report.largest_group_order = std::max(report.largest_group_order, g.order);
        report.max_element_order = std::max(report.max_element_order, g.max_element_order);
        all_solvable = all_solvable && g.solvable;
    }
    for (size_t a = 0; a < monoid.num_letters(); ++a) {
        const size_t x = monoid.letter(static_cast<Symbol>(a));
        report.max_letter_period =
            std::max(report.max_letter_period, transformation_period(monoid.transformation(x)));
    }
    report.monoid_class = h_trivial(monoid, green) ? MonoidClass::kAperiodic
                          : all_solvable           ? MonoidClass::kSolvable
                                                   : MonoidClass::kNonSolvable;
    const Stability stability = stable_semigroup(monoid);
    report.stability_index = stability.index;
    report.quasi_aperiodic = stable_semigroup_aperiodic(stability.stable, green, idempotent);
    report.circuit = report.quasi_aperiodic ? CircuitClass::kAC0
                     : all_solvable         ? CircuitClass::kACC0
                                            : CircuitClass::kNC1Complete;
    return report;
}

}  // namespace statetrack::automata
