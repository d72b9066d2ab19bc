// Permutation groups: elements enumerated by BFS over the Cayley graph of their generators.
// Points are 0-based internally; cycle notation in user input and names is 1-based, as in
// algebra texts: "(1 2 3)(4 5)". Named families: Z_n (cyclic), D_n (dihedral, order 2n),
// S_n, A_n, and direct products written with 'x' ("A4xZ5", "Z2xZ2xZ3"), realised on the
// disjoint union of the factors' points. Element 0 is always the identity.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "automata/dfa.h"
#include "automata/finite_group.h"

namespace statetrack::automata {

class Permutation {
  public:
    Permutation() = default;
    explicit Permutation(std::vector<uint16_t> images);  // images[i] = where point i goes
    static Permutation identity(size_t degree);
    // "(1 2 3)(4 5)" or "()" for the identity; 1-based points; degree is at least the
    // largest point. Throws std::invalid_argument naming the position of a syntax error.
    static Permutation parse_cycles(std::string_view text, size_t degree = 0);

    size_t degree() const { return images_.size(); }
    uint16_t operator()(size_t point) const { return images_[point]; }
    const std::vector<uint16_t>& images() const { return images_; }
    // Left-to-right composition: (p * q)(x) = q(p(x)), i.e. apply p first. This matches
    // reading a word left to right: the prefix product of g1 g2 ... gt is g1 * g2 * ... * gt.
    Permutation operator*(const Permutation& other) const;
    Permutation inverse() const;
    bool is_identity() const;
    bool is_even() const;
    std::string to_cycles() const;  // 1-based; "()" for the identity

    bool operator==(const Permutation& o) const { return images_ == o.images_; }
    bool operator!=(const Permutation& o) const { return images_ != o.images_; }
    bool operator<(const Permutation& o) const { return images_ < o.images_; }

  private:
    std::vector<uint16_t> images_;
};

class PermutationGroup {
  public:
    // Closure of the generators (all of one degree). Throws std::invalid_argument when the
    // order would exceed max_order.
    static PermutationGroup from_generators(std::string name, std::vector<Permutation> generators,
                                            size_t max_order = 1'000'000);
    // "S5", "A5", "Z60", "D4", "A4xZ5", or generators in cycle notation separated by ';' or ','
    // outside parentheses: "(1 2 3 4 5); (1 2)". Unknown names list the valid forms.
    static PermutationGroup from_spec(std::string_view spec, size_t max_order = 1'000'000);

    const std::string& name() const { return name_; }
    size_t order() const { return elements_.size(); }
    size_t degree() const;
    const std::vector<Permutation>& elements() const { return elements_; }
    const std::vector<Permutation>& generators() const { return generators_; }
    // Indices (into elements()) of the generators, in the order given.
    const std::vector<size_t>& generator_indices() const { return generator_indices_; }
    size_t index_of(const Permutation& p) const;  // throws if p is not in the group
    // Cayley table: index of elements()[i] * elements()[j] (apply i first). Stored in full up to
    // kMaxTableOrder elements (16 MiB); larger groups multiply on demand (compose + hash lookup).
    static constexpr size_t kMaxTableOrder = 2048;
    // The closure costs elements × generators × points: hundreds of generators on thousands of
    // points made a small group take minutes, and Z65535's elements (65535 points each) would
    // need 17 GB. So it stops past this many point operations (about a second here), which also
    // bounds the elements' memory (2 bytes per point, stored twice: under 800 MB).
    static constexpr size_t kMaxClosureWork = 200'000'000;
    size_t multiply(size_t i, size_t j) const {
        return table_.empty() ? multiply_uncached(i, j) : table_[i * order() + j];
    }
    size_t inverse(size_t i) const { return inverse_[i]; }
    // Readable element names: cycle notation, "e" for the identity. Unique.
    std::string element_name(size_t i) const;

    bool is_abelian() const;
    bool is_solvable() const;
    // Orders of G, G', G'', ... (the derived series): it ends at 1 when G is solvable, otherwise
    // with the perfect subgroup's order listed twice (S4: 24 12 4 1; A5: 60 60; S5: 120 60 60).
    std::vector<size_t> derived_series_orders() const;
    // The group as an IndexGroup over element indices, multiplying with this group's table;
    // it refers to this group and must not outlive it.
    IndexGroup as_index_group() const;

    // The Cayley semiautomaton: states = elements (state i = element i, start = identity),
    // symbols = the chosen tokens (element indices), step(g, s) = g * s. Accepting = {identity},
    // so the Dfa also recognises the word problem "the product is the identity".
    Dfa cayley_dfa(const std::vector<size_t>& token_elements) const;
    Dfa cayley_dfa_all_elements() const;
    Dfa cayley_dfa_generators() const;

  private:
    struct ImagesHash {
        size_t operator()(const std::vector<uint16_t>& images) const;
    };
    size_t multiply_uncached(size_t i, size_t j) const;
    // Fills table_ from right_ (products with generators) along the BFS tree: O(order^2) lookups.
    void build_table(const std::vector<size_t>& parent, const std::vector<size_t>& parent_generator,
                     const std::vector<size_t>& right);

    std::string name_;
    std::vector<Permutation> generators_;
    std::vector<size_t> generator_indices_;
    std::vector<Permutation> elements_;
    std::unordered_map<std::vector<uint16_t>, size_t, ImagesHash> index_;
    std::vector<uint32_t> table_;  // empty when order() > kMaxTableOrder
    std::vector<size_t> inverse_;
};

}  // namespace statetrack::automata
