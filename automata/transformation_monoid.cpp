// Transition monoid enumeration. See transformation_monoid.h for the contract.
#include "automata/transformation_monoid.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <string_view>

namespace statetrack::automata {

namespace {
constexpr size_t kMaxStates = 65535;  // images are uint16_t
}  // namespace

TransformationMonoid::TransformationMonoid(const Dfa& dfa, size_t max_size)
    : degree_(static_cast<size_t>(dfa.num_states())), num_letters_(dfa.alphabet().size()) {
    if (degree_ > kMaxStates) {
        throw std::invalid_argument(
            fmt::format("transition monoid: the DFA has {} states; at most {} are supported",
                        degree_, kMaxStates));
    }
    slots_.assign(1024, 0);
    std::vector<uint16_t> buffer(degree_);
    for (size_t q = 0; q < degree_; ++q) {
        buffer[q] = static_cast<uint16_t>(q);
    }
    insert(buffer.data(), hash(buffer.data()), max_size);
    parent_.push_back(0);
    parent_letter_.push_back(0);
    for (size_t head = 0; head < size_; ++head) {
        for (size_t a = 0; a < num_letters_; ++a) {
            const uint16_t* from = row(head);
            for (size_t q = 0; q < degree_; ++q) {
                buffer[q] = static_cast<uint16_t>(dfa.step(from[q], static_cast<Symbol>(a)));
            }
            const size_t h = hash(buffer.data());
            size_t found = lookup(buffer.data(), h);
            if (found == size_) {
                found = insert(buffer.data(), h, max_size);
                parent_.push_back(static_cast<uint32_t>(head));
                parent_letter_.push_back(static_cast<Symbol>(a));
            }
            right_.push_back(static_cast<uint32_t>(found));
        }
    }
    for (size_t a = 0; a < num_letters_; ++a) {
        letter_.push_back(right(kIdentity, static_cast<Symbol>(a)));
    }
    build_left_table();
}

size_t TransformationMonoid::hash(const uint16_t* images) const {
    return std::hash<std::string_view>{}(
        std::string_view(reinterpret_cast<const char*>(images), degree_ * sizeof(uint16_t)));
}

size_t TransformationMonoid::lookup(const uint16_t* images, size_t hash) const {
    const size_t mask = slots_.size() - 1;
    for (size_t slot = hash & mask;; slot = (slot + 1) & mask) {
        const uint32_t entry = slots_[slot];
        if (entry == 0) {
            return size_;
        }
        const size_t i = entry - 1;
        if (hashes_[i] == hash && std::memcmp(row(i), images, degree_ * sizeof(uint16_t)) == 0) {
            return i;
        }
    }
}

size_t TransformationMonoid::insert(const uint16_t* images, size_t hash, size_t max_size) {
    if (size_ >= max_size) {
        throw std::runtime_error(fmt::format(
            "transition monoid of the {}-state DFA has more than {} elements (max_monoid_size); "
            "raise max_monoid_size or minimise the DFA first",
            degree_, max_size));
    }
    if ((size_ + 1) * degree_ > kMaxStoredPoints) {
        throw std::runtime_error(fmt::format(
            "transition monoid of the {}-state DFA: {} elements already fill the {} stored "
            "images allowed; minimise the DFA or use a smaller one",
            degree_, size_, kMaxStoredPoints));
    }
    images_.insert(images_.end(), images, images + degree_);
    hashes_.push_back(hash);
    ++size_;
    if (2 * size_ > slots_.size()) {  // load factor <= 1/2 keeps probe chains short
        grow_slots();
    } else {
        const size_t mask = slots_.size() - 1;
        size_t slot = hash & mask;
        while (slots_[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        slots_[slot] = static_cast<uint32_t>(size_);
    }
    return size_ - 1;
}

void TransformationMonoid::grow_slots() {
    slots_.assign(slots_.size() * 2, 0);
    const size_t mask = slots_.size() - 1;
    for (size_t i = 0; i < size_; ++i) {
        size_t slot = hashes_[i] & mask;
        while (slots_[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        slots_[slot] = static_cast<uint32_t>(i + 1);
    }
}

void TransformationMonoid::build_left_table() {
    // Element i = parent * b, so a * i = (a * parent) * b: one right-table lookup per entry,
    // in BFS order so that a * parent is already known.
    left_.assign(size_ * num_letters_, 0);
    for (size_t a = 0; a < num_letters_; ++a) {
        left_[a] = static_cast<uint32_t>(letter_[a]);
    }
    for (size_t i = 1; i < size_; ++i) {
        for (size_t a = 0; a < num_letters_; ++a) {
            const size_t a_parent = left_[parent_[i] * num_letters_ + a];
            left_[i * num_letters_ + a] = static_cast<uint32_t>(right(a_parent, parent_letter_[i]));
        }
    }
}

size_t TransformationMonoid::multiply(size_t i, size_t j) const {
    std::vector<uint16_t> product(degree_);
    const uint16_t* first = row(i);
    const uint16_t* second = row(j);
    for (size_t q = 0; q < degree_; ++q) {
        product[q] = second[first[q]];
    }
    const size_t found = lookup(product.data(), hash(product.data()));
    if (found == size_) {
        throw std::logic_error("transition monoid: a product fell outside the monoid");
    }
    return found;
}

bool TransformationMonoid::is_idempotent(size_t i) const {
    const uint16_t* t = row(i);
    for (size_t q = 0; q < degree_; ++q) {
        if (t[t[q]] != t[q]) {
            return false;
        }
    }
    return true;
}

std::vector<State> TransformationMonoid::transformation(size_t i) const {
    const uint16_t* t = row(i);
    return std::vector<State>(t, t + degree_);
}

std::optional<size_t> TransformationMonoid::find(const std::vector<State>& images) const {
    if (images.size() != degree_) {
        return std::nullopt;
    }
    std::vector<uint16_t> packed(degree_);
    for (size_t q = 0; q < degree_; ++q) {
        if (images[q] < 0 || static_cast<size_t>(images[q]) >= degree_) {
            return std::nullopt;
        }
        packed[q] = static_cast<uint16_t>(images[q]);
    }
    const size_t found = lookup(packed.data(), hash(packed.data()));
    return found == size_ ? std::nullopt : std::optional<size_t>(found);
}

Word TransformationMonoid::representative(size_t i) const {
    Word word;
    for (; i != kIdentity; i = parent_[i]) {
        word.push_back(parent_letter_[i]);
    }
    std::reverse(word.begin(), word.end());
    return word;
}

}  // namespace statetrack::automata
