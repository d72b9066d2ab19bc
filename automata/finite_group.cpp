// Closure, generating sets and derived series of an IndexGroup. See finite_group.h.
#include "automata/finite_group.h"

#include <fmt/format.h>

#include <stdexcept>
#include <utility>

namespace statetrack::automata {

IndexGroup::IndexGroup(size_t order, size_t identity, Multiply multiply)
    : order_(order), identity_(identity), multiply_(std::move(multiply)) {
    if (identity_ >= order_) {
        throw std::invalid_argument(
            fmt::format("index group: identity {} outside [0, {})", identity_, order_));
    }
}

size_t IndexGroup::inverse(size_t a) const {
    size_t previous = identity_;
    size_t power = a;
    for (size_t k = 1; k <= order_; ++k) {
        if (power == identity_) {
            return previous;
        }
        previous = power;
        power = multiply(power, a);
    }
    throw std::runtime_error(
        fmt::format("index group: element {} has no power equal to the identity", a));
}

IndexGroup::Subgroup IndexGroup::closure(const std::vector<size_t>& generators) const {
    Subgroup sub;
    sub.member.assign(order_, 0);
    sub.elements.push_back(identity_);
    sub.member[identity_] = 1;
    // In a finite group, right multiplication by the generators alone reaches every product.
    for (size_t head = 0; head < sub.elements.size(); ++head) {
        const size_t x = sub.elements[head];
        for (size_t g : generators) {
            const size_t y = multiply(x, g);
            if (!sub.member[y]) {
                sub.member[y] = 1;
                sub.elements.push_back(y);
            }
        }
    }
    return sub;
}

std::vector<size_t> IndexGroup::generating_set() const {
    std::vector<size_t> generators;
    Subgroup sub = closure(generators);
    for (size_t x = 0; x < order_ && sub.elements.size() < order_; ++x) {
        if (!sub.member[x]) {
            generators.push_back(x);
            sub = closure(generators);
        }
    }
    return generators;
}

bool IndexGroup::generators_commute(const std::vector<size_t>& generators) const {
    for (size_t i = 0; i < generators.size(); ++i) {
        for (size_t j = i + 1; j < generators.size(); ++j) {
            if (multiply(generators[i], generators[j]) != multiply(generators[j], generators[i])) {
                return false;
            }
        }
    }
    return true;
}

std::vector<size_t> IndexGroup::derived_subgroup(const std::vector<size_t>& generators) const {
    std::vector<size_t> inverses;
    inverses.reserve(generators.size());
    for (size_t g : generators) {
        inverses.push_back(inverse(g));
    }
    std::vector<size_t> result;
    Subgroup sub = closure(result);
    // Only elements outside the current subgroup become generators, so `result` stays short.
    auto add = [&](size_t x) {
        if (sub.member[x]) {
            return false;
        }
        result.push_back(x);
        sub = closure(result);
        return true;
    };
    for (size_t i = 0; i < generators.size(); ++i) {
        for (size_t j = i + 1; j < generators.size(); ++j) {
            const size_t ab = multiply(generators[i], generators[j]);
            const size_t inv_ba = multiply(inverses[i], inverses[j]);  // (ba)^-1 = a^-1 b^-1
            add(multiply(inv_ba, ab));
        }
    }
    // Normal closure: conjugating by H's generators suffices since they generate H.
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t g = 0; g < generators.size(); ++g) {
            for (size_t k = 0; k < result.size(); ++k) {
                const size_t conjugate = multiply(multiply(inverses[g], result[k]), generators[g]);
                changed = add(conjugate) || changed;
            }
        }
    }
    return result;
}

std::vector<size_t> IndexGroup::derived_series_orders(std::vector<size_t> generators) const {
    std::vector<size_t> orders{closure(generators).elements.size()};
    while (orders.back() > 1) {
        generators = derived_subgroup(generators);
        const size_t next = closure(generators).elements.size();
        orders.push_back(next);
        if (next == orders[orders.size() - 2]) {
            break;
        }
    }
    return orders;
}

}  // namespace statetrack::automata
