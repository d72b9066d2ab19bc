// Permutation: construction, cycle notation (parse and print), composition. See
// permutation_group.h for the conventions (1-based cycle notation, left-to-right products).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "automata/permutation_group.h"

namespace statetrack::automata {

namespace {

// Points are uint16_t, so a permutation moves at most 65535 points.
constexpr size_t kMaxDegree = 65535;

// Reads one cycle "(p1 p2 ... pk)" starting at text[pos] == '('; points may be separated by
// spaces and/or commas. Returns 0-based points and leaves pos after the ')'.
std::vector<size_t> parse_one_cycle(std::string_view text, size_t& pos) {
    auto fail = [&](const std::string& what) {
        throw std::invalid_argument(
            fmt::format("cycle notation '{}': {} at column {}", text, what, pos + 1));
    };
    std::vector<size_t> cycle;
    ++pos;  // '('
    for (;;) {
        while (pos < text.size() && (std::isspace(static_cast<unsigned char>(text[pos])) ||
                                     (text[pos] == ',' && !cycle.empty()))) {
            ++pos;
        }
        if (pos >= text.size()) {
            fail("missing ')'");
        }
        if (text[pos] == ')') {
            ++pos;
            return cycle;
        }
        if (!std::isdigit(static_cast<unsigned char>(text[pos]))) {
            fail(fmt::format("unexpected '{}' (expected a point 1..{} or ')')", text[pos],
                             kMaxDegree));
        }
        size_t value = 0;
        const size_t start = pos;
        while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
            value = std::min(value * 10 + static_cast<size_t>(text[pos] - '0'), kMaxDegree + 1);
            ++pos;
        }
        if (value == 0 || value > kMaxDegree) {
            const std::string_view token = text.substr(start, pos - start);
            pos = start;
            fail(fmt::format("point {} outside 1..{}", token, kMaxDegree));
        }
        if (std::find(cycle.begin(), cycle.end(), value - 1) != cycle.end()) {
            pos = start;
            fail(fmt::format("point {} repeated within a cycle", value));
        }
        cycle.push_back(value - 1);
    }
}

}  // namespace

Permutation::Permutation(std::vector<uint16_t> images) : images_(std::move(images)) {
    if (images_.size() > kMaxDegree) {
        throw std::invalid_argument(fmt::format("permutation: degree {} exceeds the maximum {}",
                                                images_.size(), kMaxDegree));
    }
    std::vector<char> hit(images_.size(), 0);
    for (size_t i = 0; i < images_.size(); ++i) {
        if (images_[i] >= images_.size() || hit[images_[i]]) {
            throw std::invalid_argument(fmt::format(
                "permutation: image {} of point {} is out of range or repeated (degree {})",
                images_[i], i, images_.size()));
        }
        hit[images_[i]] = 1;
    }
}

Permutation Permutation::identity(size_t degree) {
    if (degree > kMaxDegree) {
        throw std::invalid_argument(
            fmt::format("permutation: degree {} exceeds the maximum {}", degree, kMaxDegree));
    }
    std::vector<uint16_t> images(degree);
    for (size_t i = 0; i < degree; ++i) {
        images[i] = static_cast<uint16_t>(i);
    }
    return Permutation(std::move(images));
}

Permutation Permutation::parse_cycles(std::string_view text, size_t degree) {
    std::vector<std::vector<size_t>> cycles;
    size_t largest = 0;
    size_t pos = 0;
    for (;;) {
        while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) {
            ++pos;
        }
        if (pos >= text.size()) {
            break;
        }
        if (text[pos] != '(') {
            throw std::invalid_argument(
                fmt::format("cycle notation '{}': expected '(' at column {}, found '{}'", text,
                            pos + 1, text[pos]));
        }
        cycles.push_back(parse_one_cycle(text, pos));
        for (size_t p : cycles.back()) {
            largest = std::max(largest, p + 1);
        }
    }
    if (cycles.empty()) {
        throw std::invalid_argument(
            fmt::format("cycle notation '{}': no cycle found; write () for the identity", text));
    }
    // Cycles need not be disjoint: "(1 2)(2 3)" is their product, the left one applied first.
    Permutation result = identity(std::max(degree, largest));
    for (const std::vector<size_t>& cycle : cycles) {
        std::vector<uint16_t> images = identity(result.degree()).images();
        for (size_t i = 0; i < cycle.size(); ++i) {
            images[cycle[i]] = static_cast<uint16_t>(cycle[(i + 1) % cycle.size()]);
        }
        result = result * Permutation(std::move(images));
    }
    return result;
}

Permutation Permutation::operator*(const Permutation& other) const {
    // Points beyond a factor's degree are fixed by it, so mixed degrees compose naturally.
    const size_t n = std::max(degree(), other.degree());
    std::vector<uint16_t> images(n);
    for (size_t x = 0; x < n; ++x) {
        const size_t after_this = x < degree() ? images_[x] : x;
        images[x] = static_cast<uint16_t>(after_this < other.degree() ? other.images_[after_this]
                                                                      : after_this);
    }
    Permutation result;
    result.images_ = std::move(images);
    return result;
}

Permutation Permutation::inverse() const {
    std::vector<uint16_t> images(degree());
    for (size_t x = 0; x < degree(); ++x) {
        images[images_[x]] = static_cast<uint16_t>(x);
    }
    Permutation result;
    result.images_ = std::move(images);
    return result;
}

bool Permutation::is_identity() const {
    for (size_t x = 0; x < degree(); ++x) {
        if (images_[x] != x) {
            return false;
        }
    }
    return true;
}

bool Permutation::is_even() const {
    // A k-cycle is a product of k-1 transpositions, so the parity is that of degree - #cycles.
    std::vector<char> seen(degree(), 0);
    size_t cycles = 0;
    for (size_t x = 0; x < degree(); ++x) {
        if (!seen[x]) {
            ++cycles;
            for (size_t y = x; !seen[y]; y = images_[y]) {
                seen[y] = 1;
            }
        }
    }
    return (degree() - cycles) % 2 == 0;
}

std::string Permutation::to_cycles() const {
    std::string out;
    std::vector<char> seen(degree(), 0);
    for (size_t x = 0; x < degree(); ++x) {
        if (seen[x] || images_[x] == x) {
            continue;
        }
        out += '(';
        for (size_t y = x; !seen[y]; y = images_[y]) {
            seen[y] = 1;
            out += fmt::format("{}{}", y == x ? "" : " ", y + 1);
        }
        out += ')';
    }
    return out.empty() ? "()" : out;
}

}  // namespace statetrack::automata
