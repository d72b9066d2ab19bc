// Languages of the catalogue written directly as predicates on strings (independent of the
// DFAs under test): counting, runs, a bracket stack.
#pragma once

#include <algorithm>
#include <functional>
#include <regex>
#include <string>
#include <utility>
#include <vector>

namespace statetrack::tasks::testing {

using Predicate = std::function<bool(const std::string&)>;

inline int count(const std::string& s, char c) {
    return static_cast<int>(std::count(s.begin(), s.end(), c));
}

inline Predicate regex_predicate(const std::string& pattern) {
    return [re = std::regex(pattern)](const std::string& s) { return std::regex_match(s, re); };
}

// Maximal runs as (symbol, length).
inline std::vector<std::pair<char, int>> runs(const std::string& s) {
    std::vector<std::pair<char, int>> out;
    for (char c : s) {
        if (!out.empty() && out.back().first == c) {
            ++out.back().second;
        } else {
            out.emplace_back(c, 1);
        }
    }
    return out;
}

inline bool tomita3(const std::string& s) {
    const auto r = runs(s);
    for (size_t i = 0; i + 1 < r.size(); ++i) {
        if (r[i].first == '1' && r[i].second % 2 == 1 && r[i + 1].second % 2 == 1) {
            return false;
        }
    }
    return true;
}

inline bool bounded_dyck(const std::string& s, const std::string& brackets, size_t max_depth) {
    std::string stack;
    for (char c : s) {
        const size_t i = brackets.find(c);
        if (i % 2 == 0) {
            stack.push_back(c);
            if (stack.size() > max_depth) {
                return false;
            }
        } else if (stack.empty() || stack.back() != brackets[i - 1]) {
            return false;
        } else {
            stack.pop_back();
        }
    }
    return stack.empty();
}

// Tomita 1..7 from their textual definitions (docs/anchors.md §4).
inline Predicate tomita(int k) {
    switch (k) {
        case 1:
            return regex_predicate("1*");
        case 2:
            return regex_predicate("(10)*");
        case 3:
            return tomita3;
        case 4:
            return [](const std::string& s) { return s.find("000") == std::string::npos; };
        case 5:
            return [](const std::string& s) {
                return count(s, '0') % 2 == 0 && count(s, '1') % 2 == 0;
            };
        case 6:
            return [](const std::string& s) { return (count(s, '0') - count(s, '1')) % 3 == 0; };
        default:
            return regex_predicate("0*1*0*1*");
    }
}

}  // namespace statetrack::tasks::testing
