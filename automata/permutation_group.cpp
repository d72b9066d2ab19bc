// PermutationGroup: closure of generators by BFS over the Cayley graph, the Cayley table,
// solvability, and the Cayley semiautomaton as a Dfa. Named families and specs: group_spec.cpp.
#include "automata/permutation_group.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "core/strict_json.h"

namespace statetrack::automata {

size_t PermutationGroup::ImagesHash::operator()(const std::vector<uint16_t>& images) const {
    const std::string_view bytes(reinterpret_cast<const char*>(images.data()),
                                 images.size() * sizeof(uint16_t));
    return std::hash<std::string_view>{}(bytes);
}

PermutationGroup PermutationGroup::from_generators(std::string name,
                                                   std::vector<Permutation> generators,
                                                   size_t max_order) {
    PermutationGroup g;
    g.name_ = std::move(name);
    size_t degree = 0;
    for (const Permutation& p : generators) {
        degree = std::max(degree, p.degree());
    }
    // Generators of smaller degree fix the extra points.
    const Permutation id = Permutation::identity(degree);
    for (Permutation& p : generators) {
        p = id * p;
    }
    g.generators_ = std::move(generators);
    const size_t k = g.generators_.size();
    g.elements_.push_back(id);
    g.index_.emplace(id.images(), 0);
    std::vector<size_t> parent{0}, parent_generator{0}, right;
    size_t work = 0;  // points moved over all products so far
    for (size_t head = 0; head < g.elements_.size(); ++head) {
        for (size_t s = 0; s < k; ++s) {
            work += std::max<size_t>(degree, 1);
            if (work > kMaxClosureWork) {
                throw std::invalid_argument(fmt::format(
                    "group '{}': closing {} generators on {} points passed {:.0e} point "
                    "operations after {} elements; give fewer generators or points",
                    core::quote_for_message(g.name_, 60), k, degree,
                    static_cast<double>(kMaxClosureWork), g.elements_.size()));
            }
            Permutation product = g.elements_[head] * g.generators_[s];
            const auto [it, inserted] = g.index_.emplace(product.images(), g.elements_.size());
            if (inserted) {
                if (g.elements_.size() >= max_order) {
                    throw std::invalid_argument(fmt::format(
                        "group '{}': order exceeds max_order = {}; raise max_order or choose a "
                        "smaller group",
                        core::quote_for_message(g.name_, 60), max_order));
                }
                g.elements_.push_back(std::move(product));
                parent.push_back(head);
                parent_generator.push_back(s);
            }
            right.push_back(it->second);
        }
    }
    for (const Permutation& p : g.generators_) {
        g.generator_indices_.push_back(g.index_.at(p.images()));
    }
    if (g.order() <= kMaxTableOrder) {
        g.build_table(parent, parent_generator, right);
    }
    g.inverse_.resize(g.order());
    for (size_t i = 0; i < g.order(); ++i) {
        g.inverse_[i] = g.index_of(g.elements_[i].inverse());
    }
    return g;
}

void PermutationGroup::build_table(const std::vector<size_t>& parent,
                                   const std::vector<size_t>& parent_generator,
                                   const std::vector<size_t>& right) {
    // elements[j] = elements[parent[j]] * gen[parent_generator[j]], hence
    // x * elements[j] = (x * elements[parent[j]]) * gen[...]: one lookup in `right` per entry.
    const size_t n = order();
    const size_t k = generators_.size();
    table_.assign(n * n, 0);
    for (size_t i = 0; i < n; ++i) {
        uint32_t* row = &table_[i * n];
        row[0] = static_cast<uint32_t>(i);
        for (size_t j = 1; j < n; ++j) {
            row[j] = static_cast<uint32_t>(right[row[parent[j]] * k + parent_generator[j]]);
        }
    }
}

size_t PermutationGroup::multiply_uncached(size_t i, size_t j) const {
    return index_.at((elements_[i] * elements_[j]).images());
}

size_t PermutationGroup::degree() const { return elements_.front().degree(); }

size_t PermutationGroup::index_of(const Permutation& p) const {
    // A permutation of another degree is compared on this group's points.
    const Permutation same_degree = p.degree() < degree() ? Permutation::identity(degree()) * p : p;
    const auto it = index_.find(same_degree.images());
    if (it == index_.end()) {
        throw std::invalid_argument(
            fmt::format("group '{}': permutation {} is not an element", name_, p.to_cycles()));
    }
    return it->second;
}

std::string PermutationGroup::element_name(size_t i) const {
    return i == 0 ? std::string("e") : elements_.at(i).to_cycles();
}

IndexGroup PermutationGroup::as_index_group() const {
    return IndexGroup(order(), 0, [this](size_t a, size_t b) { return multiply(a, b); });
}

bool PermutationGroup::is_abelian() const {
    return as_index_group().generators_commute(generator_indices_);
}

bool PermutationGroup::is_solvable() const { return derived_series_orders().back() == 1; }

std::vector<size_t> PermutationGroup::derived_series_orders() const {
    return as_index_group().derived_series_orders(generator_indices_);
}

Dfa PermutationGroup::cayley_dfa(const std::vector<size_t>& token_elements) const {
    std::vector<std::string> symbols;
    for (size_t t : token_elements) {
        if (t >= order()) {
            throw std::invalid_argument(
                fmt::format("group '{}': token element {} outside [0, {})", name_, t, order()));
        }
        symbols.push_back(element_name(t));
    }
    const size_t k = token_elements.size();
    std::vector<State> table(order() * k);
    std::vector<std::string> state_names(order());
    for (size_t g = 0; g < order(); ++g) {
        state_names[g] = element_name(g);
        for (size_t s = 0; s < k; ++s) {
            table[g * k + s] = static_cast<State>(multiply(g, token_elements[s]));
        }
    }
    std::vector<bool> accepting(order(), false);
    accepting[0] = true;
    // Alphabet rejects a repeated token with a message naming it.
    return Dfa(Alphabet(std::move(symbols)), static_cast<State>(order()), 0, std::move(accepting),
               std::move(table), std::move(state_names));
}

Dfa PermutationGroup::cayley_dfa_all_elements() const {
    std::vector<size_t> tokens(order());
    for (size_t i = 0; i < order(); ++i) {
        tokens[i] = i;
    }
    return cayley_dfa(tokens);
}

Dfa PermutationGroup::cayley_dfa_generators() const {
    // A generator listed twice (or twice as the same element) is one token.
    std::vector<size_t> tokens;
    for (size_t g : generator_indices_) {
        if (std::find(tokens.begin(), tokens.end(), g) == tokens.end()) {
            tokens.push_back(g);
        }
    }
    return cayley_dfa(tokens);
}

}  // namespace statetrack::automata
