// PermutationGroup::from_spec: named families (Zn, Dn, Sn, An), direct products joined by 'x'
// (factors act on disjoint blocks of points, left factor first), and generator lists in cycle
// notation. Orders of named groups are known in closed form, so an over-large request fails at
// once instead of after enumerating max_order elements.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <stdexcept>

#include "automata/permutation_group.h"

namespace statetrack::automata {

namespace {

constexpr const char* kValidForms =
    "valid forms: Zn (cyclic, n>=1), Dn (dihedral of order 2n, n>=3), Sn (symmetric, n>=1), An "
    "(alternating, n>=1), direct products joined by 'x' such as A4xZ5, or generators in cycle "
    "notation separated by ';' or ',' such as '(1 2 3 4 5); (1 2)'";

constexpr size_t kMaxPoints = 65535;  // Permutation's limit

struct Factor {
    std::string name;  // canonical, e.g. "A4"
    size_t degree = 0;
    std::vector<std::vector<uint16_t>> generators;  // images on points 0..degree-1
    size_t order = 1;                               // saturates at SIZE_MAX
};

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
        s.remove_prefix(1);
    }
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
        s.remove_suffix(1);
    }
    return s;
}

size_t saturating_multiply(size_t a, size_t b) {
    return (b != 0 && a > SIZE_MAX / b) ? SIZE_MAX : a * b;
}

std::vector<uint16_t> identity_images(size_t n) { return Permutation::identity(n).images(); }

// Images of the cycle (first+1 first+2 ... last+1) on n points (0-based bounds, inclusive).
std::vector<uint16_t> cycle_images(size_t n, size_t first, size_t last) {
    std::vector<uint16_t> images = identity_images(n);
    for (size_t i = first; i < last; ++i) {
        images[i] = static_cast<uint16_t>(i + 1);
    }
    images[last] = static_cast<uint16_t>(first);
    return images;
}

// The family's standard generators on n points: Z_n by an n-cycle; D_n by the rotation and the
// reflection i -> n+1-i; S_n by (1 2) and (1 2 ... n); A_n by the 3-cycles (1 2 k), k = 3..n.
Factor family_factor(char family, size_t n, size_t max_order) {
    Factor f;
    f.name = fmt::format("{}{}", family, n);
    f.degree = n;
    if (family == 'Z') {
        f.order = n;
        f.generators = {cycle_images(n, 0, n - 1)};
    } else if (family == 'D') {
        f.order = 2 * n;
        std::vector<uint16_t> reflection(n);
        for (size_t i = 0; i < n; ++i) {
            reflection[i] = static_cast<uint16_t>(n - 1 - i);
        }
        f.generators = {cycle_images(n, 0, n - 1), reflection};
    } else {
        for (size_t k = 2; k <= n; ++k) {
            f.order = saturating_multiply(f.order, k);
        }
        if (family == 'A' && f.order != SIZE_MAX) {  // a saturated n! stays saturated
            f.order = n >= 2 ? f.order / 2 : 1;
        }
        // A_n has n-2 generators of n points each (4.7 GB for A48817): a group too large to
        // build is refused on its order (from_named) before any generator exists.
        if (f.order > max_order) {
            return f;
        }
        if (family == 'S') {
            f.generators = {cycle_images(n, 0, std::min<size_t>(n - 1, 1))};  // (1 2)
            if (n >= 3) {
                f.generators.push_back(cycle_images(n, 0, n - 1));
            }
        } else {
            for (size_t k = 2; k < n; ++k) {  // (1 2 k+1), 1-based
                std::vector<uint16_t> images = identity_images(n);
                images[0] = 1;
                images[1] = static_cast<uint16_t>(k);
                images[k] = 0;
                f.generators.push_back(images);
            }
            if (f.generators.empty()) {
                f.generators = {identity_images(n)};
            }
        }
    }
    return f;
}

// One factor of a named spec: a family letter, an optional '_', and n.
Factor named_factor(std::string_view spec, std::string_view text, size_t max_order) {
    auto fail = [&](const std::string& why) {
        throw std::invalid_argument(fmt::format("group spec '{}': {}; {}", spec, why, kValidForms));
    };
    const char family = text.empty() ? '?' : text.front();
    std::string_view digits = text.substr(text.empty() ? 0 : 1);
    if (!digits.empty() && digits.front() == '_') {
        digits.remove_prefix(1);
    }
    bool numeric = !digits.empty() && digits.size() <= 9;
    for (char c : digits) {
        numeric = numeric && std::isdigit(static_cast<unsigned char>(c));
    }
    if (std::string_view("ZDSA").find(family) == std::string_view::npos || !numeric) {
        fail(fmt::format("unknown group '{}'", text));
    }
    const size_t n = std::stoul(std::string(digits));
    if (n < 1 || n > kMaxPoints || (family == 'D' && n < 3)) {
        fail(fmt::format("'{}' is out of range (at most {} points)", text, kMaxPoints));
    }
    return family_factor(family, n, max_order);
}

PermutationGroup from_named(std::string_view spec, size_t max_order) {
    std::vector<Factor> factors;
    size_t start = 0;
    for (size_t i = 0; i <= spec.size(); ++i) {
        if (i == spec.size() || spec[i] == 'x') {
            factors.push_back(named_factor(spec, trim(spec.substr(start, i - start)), max_order));
            start = i + 1;
        }
    }
    std::string name;
    size_t degree = 0;
    size_t order = 1;
    for (const Factor& f : factors) {
        name += (name.empty() ? "" : "x") + f.name;
        degree += f.degree;
        order = saturating_multiply(order, f.order);
    }
    if (order > max_order) {
        throw std::invalid_argument(fmt::format(
            "group spec '{}': order {} exceeds max_order = {}; raise max_order or choose a "
            "smaller group",
            spec, order == SIZE_MAX ? std::string("> 2^64") : std::to_string(order), max_order));
    }
    // Each factor acts on its own block of points; the others' points stay fixed.
    std::vector<Permutation> generators;
    size_t offset = 0;
    for (const Factor& f : factors) {
        for (const std::vector<uint16_t>& g : f.generators) {
            std::vector<uint16_t> images = identity_images(degree);
            for (size_t i = 0; i < f.degree; ++i) {
                images[offset + i] = static_cast<uint16_t>(offset + g[i]);
            }
            generators.emplace_back(std::move(images));
        }
        offset += f.degree;
    }
    return PermutationGroup::from_generators(name, std::move(generators), max_order);
}

PermutationGroup from_cycle_lists(std::string_view spec, size_t max_order) {
    std::vector<Permutation> generators;
    int depth = 0;
    size_t start = 0;
    for (size_t i = 0; i <= spec.size(); ++i) {
        const char c = i < spec.size() ? spec[i] : ';';
        depth += c == '(' ? 1 : c == ')' ? -1 : 0;
        // The end always closes a piece, so unbalanced parentheses reach the cycle parser.
        if (i < spec.size() && (depth != 0 || (c != ';' && c != ','))) {
            continue;
        }
        const std::string_view piece = trim(spec.substr(start, i - start));
        if (piece.empty()) {
            throw std::invalid_argument(fmt::format(
                "group spec '{}': empty generator before column {}; {}", spec, i + 1, kValidForms));
        }
        try {
            generators.push_back(Permutation::parse_cycles(piece));
        } catch (const std::invalid_argument& e) {
            throw std::invalid_argument(fmt::format("group spec '{}': generator {}: {}", spec,
                                                    generators.size() + 1, e.what()));
        }
        start = i + 1;
    }
    return PermutationGroup::from_generators(std::string(spec), std::move(generators), max_order);
}

}  // namespace

PermutationGroup PermutationGroup::from_spec(std::string_view spec, size_t max_order) {
    const std::string_view text = trim(spec);
    if (text.empty()) {
        throw std::invalid_argument(fmt::format("group spec is empty; {}", kValidForms));
    }
    if (text.find('(') != std::string_view::npos) {
        return from_cycle_lists(text, max_order);
    }
    return from_named(text, max_order);
}

}  // namespace statetrack::automata
