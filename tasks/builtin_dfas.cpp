// Hand-built catalogue DFAs. Tables are row-major: table[q * |alphabet| + symbol]; start = 0.
#include "tasks/builtin_dfas.h"

#include <fmt/format.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace statetrack::tasks {

namespace {

using automata::Alphabet;
using automata::Dfa;
using automata::State;

Dfa table_dfa(Alphabet alphabet, std::vector<std::string> states, std::vector<bool> accepting,
              std::vector<State> table) {
    const auto n = static_cast<State>(states.size());
    return Dfa(std::move(alphabet), n, 0, std::move(accepting), std::move(table),
               std::move(states));
}

}  // namespace

Dfa parity_dfa() {
    return table_dfa(Alphabet::from_chars("01"), {"even", "odd"}, {false, true},
                     {0, 1,    // even
                      1, 0});  // odd
}

Dfa even_pairs_dfa() {
    // States remember (first symbol, last symbol) once the word is non-empty.
    return table_dfa(Alphabet::from_chars("01"), {"start", "0..0", "0..1", "1..0", "1..1"},
                     {false, false, true, true, false},
                     {1, 4,    // start
                      1, 2,    // 0..0
                      1, 2,    // 0..1
                      3, 4,    // 1..0
                      3, 4});  // 1..1
}

Dfa cycle_navigation_dfa() {
    constexpr State kCycle = 5;
    std::vector<std::string> states;
    std::vector<bool> accepting;
    std::vector<State> table;
    for (State q = 0; q < kCycle; ++q) {
        states.push_back(std::to_string(q));
        accepting.push_back(q == 0);
        for (State move : {kCycle - 1, 0, 1}) {  // symbols 0, 1, 2 = -1, 0, +1
            table.push_back((q + move) % kCycle);
        }
    }
    return table_dfa(Alphabet::from_chars("012"), states, accepting, table);
}

Dfa tomita_dfa(int k) {
    const Alphabet bits = Alphabet::from_chars("01");
    switch (k) {
        case 1:
            return table_dfa(bits, {"ones", "sink"}, {true, false}, {1, 0, 1, 1});
        case 2:
            return table_dfa(bits, {"even", "open", "sink"}, {true, false, false},
                             {2, 1, 0, 2, 2, 2});
        case 3:
            // free: no pending constraint (start, zeros after an even or no 1-run, even 1-run);
            // odd1: inside an odd run of 1s; zodd/zeven: inside a run of 0s that follows an odd
            // run of 1s, of odd/even length so far.
            return table_dfa(bits, {"free", "odd1", "zodd", "zeven", "sink"},
                             {true, true, false, true, false}, {0, 1, 2, 0, 3, 4, 2, 1, 4, 4});
        case 4:
            return table_dfa(bits, {"z0", "z1", "z2", "sink"}, {true, true, true, false},
                             {1, 0, 2, 0, 3, 0, 3, 3});
        case 5:
            // (#0 mod 2, #1 mod 2)
            return table_dfa(bits, {"ee", "oe", "eo", "oo"}, {true, false, false, false},
                             {1, 2, 0, 3, 3, 0, 2, 1});
        case 6:
            return table_dfa(bits, {"0", "1", "2"}, {true, false, false}, {1, 2, 2, 0, 0, 1});
        case 7:
            return table_dfa(bits, {"0*", "0*1*", "0*1*0*", "0*1*0*1*", "sink"},
                             {true, true, true, true, false}, {0, 1, 2, 1, 2, 3, 4, 3, 4, 4});
        default:
            throw std::invalid_argument(
                fmt::format("tomita: grammar {} does not exist (valid: 1..7)", k));
    }
}

Dfa dyck_dfa(int kinds, int max_depth) {
    constexpr int64_t kMaxStates = 100'000;
    static const char kBrackets[] = "()[]{}<>";
    if (kinds < 1 || kinds > 4) {
        throw std::invalid_argument(
            fmt::format("dyck: k={} bracket kinds is not supported (valid: 1..4)", kinds));
    }
    if (max_depth < 1) {
        throw std::invalid_argument(fmt::format("dyck: depth={} must be >= 1", max_depth));
    }
    // A stack of depth d with contents c (base-`kinds` digits, top = last) is state
    // offset[d] + c, offset[d] = kinds^0 + ... + kinds^(d-1). The sink comes last.
    std::vector<int64_t> offset{0};
    int64_t width = 1;
    for (int d = 0; d <= max_depth; ++d) {
        offset.push_back(offset.back() + width);
        if (offset.back() >= kMaxStates) {
            throw std::invalid_argument(fmt::format(
                "dyck: k={}, depth={} needs more than {} states", kinds, max_depth, kMaxStates));
        }
        width *= kinds;
    }
    const auto sink = static_cast<State>(offset.back());
    std::vector<std::string> states;
    std::vector<bool> accepting;
    std::vector<State> table;
    for (int d = 0; d <= max_depth; ++d) {
        for (int64_t c = 0; c < offset[static_cast<size_t>(d) + 1] - offset[static_cast<size_t>(d)];
             ++c) {
            std::string name;
            for (int64_t rest = c, i = 0; i < d; ++i, rest /= kinds) {
                name.insert(name.begin(), kBrackets[2 * (rest % kinds)]);
            }
            states.push_back(d == 0 ? "empty" : name);
            accepting.push_back(d == 0);
            for (int b = 0; b < kinds; ++b) {
                const bool can_push = d < max_depth;
                table.push_back(can_push ? static_cast<State>(offset[d + 1] + c * kinds + b)
                                         : sink);
                const bool can_pop = d > 0 && c % kinds == b;
                table.push_back(can_pop ? static_cast<State>(offset[d - 1] + c / kinds) : sink);
            }
        }
    }
    states.push_back("sink");
    accepting.push_back(false);
    table.insert(table.end(), static_cast<size_t>(2 * kinds), sink);
    return table_dfa(Alphabet::from_chars(std::string_view(kBrackets, 2 * kinds)), states,
                     accepting, table);
}

Dfa first_symbol_dfa() {
    return table_dfa(Alphabet::from_chars("01"), {"start", "first1", "sink"}, {false, true, false},
                     {2, 1, 1, 1, 2, 2});
}

Dfa aa_star_dfa() {
    return table_dfa(Alphabet::from_chars("a"), {"even", "odd"}, {true, false}, {1, 0});
}

Dfa abab_star_dfa() {
    return table_dfa(Alphabet::from_chars("ab"), {"0", "1", "2", "3", "sink"},
                     {true, false, false, false, false}, {1, 4, 4, 2, 3, 4, 4, 0, 4, 4});
}

Dfa flip_flop_dfa() {
    return table_dfa(Alphabet({"w0", "w1", "i", "r"}), {"0", "1"}, {false, true},
                     {0, 1, 0, 0,    // memory 0
                      0, 1, 1, 1});  // memory 1
}

}  // namespace statetrack::tasks
