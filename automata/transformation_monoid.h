// TransformationMonoid: the transition monoid of a Dfa, i.e. the set of maps q -> delta(q, w)
// over all words w (the empty word's identity map included), enumerated by BFS from the
// identity with right multiplication by the letters. Element 0 is the identity; element i was
// first reached by the word representative(i), a shortest one.
// Composition is left to right, like reading a word: multiply(i, j) applies i, then j, so the
// element of the word uv is multiply(element of u, element of v).
// Each element is stored as degree() uint16_t images in one flat array, found again through an
// open-addressing hash table; the Cayley tables by letters (right and left) are built once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "automata/dfa.h"

namespace statetrack::automata {

class TransformationMonoid {
public:
    static constexpr size_t kIdentity = 0;
    static constexpr size_t kDefaultMaxSize = 100'000;
    // Elements x states stored at most (256 MiB): the DFA side of the size cap.
    static constexpr size_t kMaxStoredPoints = size_t{1} << 27;

    // Throws std::runtime_error when the monoid has more than max_size elements (or would store
    // more than kMaxStoredPoints images), and std::invalid_argument for a DFA above 65535 states.
    explicit TransformationMonoid(const Dfa& dfa, size_t max_size = kDefaultMaxSize);

    size_t size() const { return size_; }
    size_t degree() const { return degree_; }
    size_t num_letters() const { return num_letters_; }
    // The element of the one-letter word `a` (distinct letters may share one element).
    size_t letter(Symbol a) const { return letter_[static_cast<size_t>(a)]; }
    // Cayley tables by letters: right(i, a) = i * a, left(a, i) = a * i.
    size_t right(size_t i, Symbol a) const {
        return right_[i * num_letters_ + static_cast<size_t>(a)];
    }
    size_t left(Symbol a, size_t i) const {
        return left_[i * num_letters_ + static_cast<size_t>(a)];
    }
    // i * j (apply i, then j): composition plus one hash lookup, O(degree).
    size_t multiply(size_t i, size_t j) const;
    bool is_idempotent(size_t i) const;

    // images[q] = the state reached from q by element i.
    std::vector<State> transformation(size_t i) const;
    // The element with these images, if the monoid has it.
    std::optional<size_t> find(const std::vector<State>& images) const;
    // A shortest word whose transformation is element i.
    Word representative(size_t i) const;

private:
    const uint16_t* row(size_t i) const { return &images_[i * degree_]; }
    size_t hash(const uint16_t* images) const;
    // Index of the element with these images, or size() when absent.
    size_t lookup(const uint16_t* images, size_t hash) const;
    // Appends a new element (checking the caps) and returns its index.
    size_t insert(const uint16_t* images, size_t hash, size_t max_size);
    void grow_slots();
    void build_left_table();

    size_t degree_ = 0;
    size_t num_letters_ = 0;
    size_t size_ = 0;
    std::vector<uint16_t> images_;  // size_ x degree_
    std::vector<size_t> hashes_;    // per element, so growing the table rehashes nothing
    std::vector<uint32_t> slots_;   // open addressing: 0 = empty, else element index + 1
    std::vector<uint32_t> right_;   // size_ x num_letters_
    std::vector<uint32_t> left_;    // size_ x num_letters_
    std::vector<uint32_t> parent_;  // BFS tree: element i = parent_[i] * parent_letter_[i]
    std::vector<Symbol> parent_letter_;
    std::vector<size_t> letter_;
};

}  // namespace statetrack::automata
