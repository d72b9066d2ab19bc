// Complement, product construction and equivalence. See dfa_product.h for the contract.
#include "automata/dfa_product.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <stdexcept>
#include <unordered_map>

#include "automata/dfa_ops.h"

namespace statetrack::automata {
namespace {

bool combine(ProductKind kind, bool x, bool y) {
    switch (kind) {
        case ProductKind::kIntersection:
            return x && y;
        case ProductKind::kUnion:
            return x || y;
        case ProductKind::kDifference:
            return x && !y;
        case ProductKind::kSymmetricDifference:
            return x != y;
    }
    throw std::logic_error("dfa product: unknown kind");
}

}  // namespace

Dfa complement(const Dfa& dfa) {
    std::vector<bool> accepting = dfa.accepting();
    accepting.flip();
    return Dfa(dfa.alphabet(), dfa.num_states(), dfa.start(), std::move(accepting), dfa.table(),
               dfa.state_names());
}

Dfa product(const Dfa& a, const Dfa& b, ProductKind kind) {
    if (a.alphabet() != b.alphabet()) {
        throw std::invalid_argument(fmt::format(
            "dfa product: alphabets differ ([{}] vs [{}]); both operands need the same "
            "alphabet in the same order",
            fmt::join(a.alphabet().names(), ", "), fmt::join(b.alphabet().names(), ", ")));
    }
    const size_t k = a.alphabet().size();
    const auto nb = static_cast<uint64_t>(b.num_states());
    std::unordered_map<uint64_t, State> index;  // p * |b| + q -> product state
    std::vector<std::pair<State, State>> pairs;
    auto intern = [&](State p, State q) {
        const uint64_t key = static_cast<uint64_t>(p) * nb + static_cast<uint64_t>(q);
        auto [it, fresh] = index.emplace(key, static_cast<State>(pairs.size()));
        if (fresh) {
            pairs.emplace_back(p, q);
        }
        return it->second;
    };
    intern(a.start(), b.start());
    std::vector<State> table;
    std::vector<bool> accepting;
    std::vector<std::string> names;
    for (size_t i = 0; i < pairs.size(); ++i) {  // pairs grows: BFS over reachable pairs
        const auto [p, q] = pairs[i];
        accepting.push_back(combine(kind, a.is_accepting(p), b.is_accepting(q)));
        names.push_back(fmt::format("({},{})", a.state_name(p), b.state_name(q)));
        for (size_t s = 0; s < k; ++s) {
            table.push_back(
                intern(a.step(p, static_cast<Symbol>(s)), b.step(q, static_cast<Symbol>(s))));
        }
    }
    return Dfa(a.alphabet(), static_cast<State>(pairs.size()), 0, std::move(accepting),
               std::move(table), std::move(names));
}

std::optional<Word> find_counterexample(const Dfa& a, const Dfa& b) {
    return shortest_accepted(product(a, b, ProductKind::kSymmetricDifference));
}

}  // namespace statetrack::automata
