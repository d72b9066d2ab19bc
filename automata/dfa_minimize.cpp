// Hopcroft's partition refinement. See dfa_minimize.h for the contract.
// The partition keeps every block as a contiguous range of one array, so that marking a state
// (swapping it to the front of its block) and splitting off the marked prefix cost O(1) per
// marked state; with "process the smaller half" this gives O(k n log n).
#include "automata/dfa_minimize.h"

#include <deque>
#include <utility>

namespace statetrack::automata {
namespace {

// The reachable part of a DFA, renumbered in BFS order (start = 0).
struct Trimmed {
    size_t n = 0;
    size_t k = 0;
    std::vector<State> table;
    std::vector<bool> accepting;
};

Trimmed trim_unreachable(const Dfa& dfa) {
    const size_t k = dfa.alphabet().size();
    std::vector<State> renumber(static_cast<size_t>(dfa.num_states()), -1);
    std::vector<State> order{dfa.start()};
    renumber[static_cast<size_t>(dfa.start())] = 0;
    for (size_t i = 0; i < order.size(); ++i) {
        for (size_t s = 0; s < k; ++s) {
            const State to = dfa.step(order[i], static_cast<Symbol>(s));
            if (renumber[static_cast<size_t>(to)] < 0) {
                renumber[static_cast<size_t>(to)] = static_cast<State>(order.size());
                order.push_back(to);
            }
        }
    }
    Trimmed t{order.size(), k, {}, {}};
    for (State q : order) {
        t.accepting.push_back(dfa.is_accepting(q));
        for (size_t s = 0; s < k; ++s) {
            t.table.push_back(renumber[static_cast<size_t>(dfa.step(q, static_cast<Symbol>(s)))]);
        }
    }
    return t;
}

class Partition {
  public:
    // Initial blocks: accepting states, then rejecting states (empty ones are skipped).
    explicit Partition(const std::vector<bool>& accepting)
        : loc_(accepting.size()), block_of_(accepting.size()) {
        for (bool want : {true, false}) {
            const size_t begin = elems_.size();
            for (size_t q = 0; q < accepting.size(); ++q) {
                if (accepting[q] == want) {
                    loc_[q] = elems_.size();
                    block_of_[q] = static_cast<int>(first_.size());
                    elems_.push_back(static_cast<State>(q));
                }
            }
            if (elems_.size() > begin) {
                first_.push_back(begin);
                end_.push_back(elems_.size());
                marked_.push_back(0);
            }
        }
    }

    int num_blocks() const { return static_cast<int>(first_.size()); }
    int block_of(State q) const { return block_of_[static_cast<size_t>(q)]; }
    size_t size(int b) const {
        return end_[static_cast<size_t>(b)] - first_[static_cast<size_t>(b)];
    }
    State first_member(int b) const { return elems_[first_[static_cast<size_t>(b)]]; }
    std::vector<State> members(int b) const {
        return {elems_.begin() + static_cast<std::ptrdiff_t>(first_[static_cast<size_t>(b)]),
                elems_.begin() + static_cast<std::ptrdiff_t>(end_[static_cast<size_t>(b)])};
    }

    // Moves q into the marked prefix of its block; records the block the first time.
    void mark(State q, std::vector<int>& touched) {
        const auto b = static_cast<size_t>(block_of_[static_cast<size_t>(q)]);
        const size_t i = loc_[static_cast<size_t>(q)];
        const size_t j = first_[b] + marked_[b];
        if (i < j) {
            return;  // already marked
        }
        if (marked_[b]++ == 0) {
            touched.push_back(static_cast<int>(b));
        }
        std::swap(elems_[i], elems_[j]);
        loc_[static_cast<size_t>(elems_[i])] = i;
        loc_[static_cast<size_t>(elems_[j])] = j;
    }

    // Splits the marked prefix off block b into a new block; returns its id, or -1 when the
    // whole block was marked (nothing to split). Clears the marks either way.
    int split(int b) {
        const auto ub = static_cast<size_t>(b);
        const size_t m = std::exchange(marked_[ub], 0);
        if (m == end_[ub] - first_[ub]) {
            return -1;
        }
        const int nb = num_blocks();
        first_.push_back(first_[ub]);
        end_.push_back(first_[ub] + m);
        marked_.push_back(0);
        first_[ub] += m;
        for (size_t i = first_.back(); i < end_.back(); ++i) {
            block_of_[static_cast<size_t>(elems_[i])] = nb;
        }
        return nb;
    }

  private:
    std::vector<State> elems_;
    std::vector<size_t> loc_;
    std::vector<int> block_of_;
    std::vector<size_t> first_, end_, marked_;
};

// Predecessors by symbol in compressed rows: row (s, q) lists every p with table[p][s] = q.
struct Inverse {
    std::vector<size_t> begin;
    std::vector<State> from;

    explicit Inverse(const Trimmed& t) : begin(t.n * t.k + 1, 0), from(t.n * t.k) {
        for (size_t p = 0; p < t.n; ++p) {
            for (size_t s = 0; s < t.k; ++s) {
                ++begin[s * t.n + static_cast<size_t>(t.table[p * t.k + s]) + 1];
            }
        }
        for (size_t r = 1; r < begin.size(); ++r) {
            begin[r] += begin[r - 1];
        }
        std::vector<size_t> fill(begin.begin(), begin.end() - 1);
        for (size_t p = 0; p < t.n; ++p) {
            for (size_t s = 0; s < t.k; ++s) {
                from[fill[s * t.n + static_cast<size_t>(t.table[p * t.k + s])]++] =
                    static_cast<State>(p);
            }
        }
    }
};

Partition hopcroft(const Trimmed& t) {
    Partition part(t.accepting);
    const Inverse inv(t);
    std::vector<int> worklist;
    std::vector<bool> in_worklist(static_cast<size_t>(part.num_blocks()), false);
    auto push = [&](int b) {
        in_worklist[static_cast<size_t>(b)] = true;
        worklist.push_back(b);
    };
    if (part.num_blocks() == 2) {
        push(part.size(0) <= part.size(1) ? 0 : 1);
    }
    std::vector<int> touched;
    while (!worklist.empty()) {
        const int splitter = worklist.back();
        worklist.pop_back();
        in_worklist[static_cast<size_t>(splitter)] = false;
        // A snapshot: the splitter block itself may split while we refine by it.
        const std::vector<State> targets = part.members(splitter);
        for (size_t s = 0; s < t.k; ++s) {
            touched.clear();
            for (State q : targets) {
                const size_t row = s * t.n + static_cast<size_t>(q);
                for (size_t i = inv.begin[row]; i < inv.begin[row + 1]; ++i) {
                    part.mark(inv.from[i], touched);
                }
            }
            for (int b : touched) {
                const int nb = part.split(b);
                if (nb < 0) {
                    continue;
                }
                in_worklist.resize(static_cast<size_t>(part.num_blocks()), false);
                push(in_worklist[static_cast<size_t>(b)] || part.size(nb) <= part.size(b) ? nb : b);
            }
        }
    }
    return part;
}

// The quotient DFA, blocks numbered in BFS order from the start's block.
Dfa quotient(const Alphabet& alphabet, const Trimmed& t, const Partition& part) {
    const auto blocks = static_cast<size_t>(part.num_blocks());
    std::vector<State> canon(blocks, -1);
    std::vector<State> representative;  // by canonical number
    canon[static_cast<size_t>(part.block_of(0))] = 0;
    representative.push_back(0);
    std::vector<State> table;
    std::vector<bool> accepting;
    for (size_t c = 0; c < representative.size(); ++c) {
        const auto rep = static_cast<size_t>(representative[c]);
        accepting.push_back(t.accepting[rep]);
        for (size_t s = 0; s < t.k; ++s) {
            const auto b = static_cast<size_t>(part.block_of(t.table[rep * t.k + s]));
            if (canon[b] < 0) {
                canon[b] = static_cast<State>(representative.size());
                representative.push_back(part.first_member(static_cast<int>(b)));
            }
            table.push_back(canon[b]);
        }
    }
    return Dfa(alphabet, static_cast<State>(representative.size()), 0, std::move(accepting),
               std::move(table));
}

}  // namespace

Dfa minimize(const Dfa& dfa) {
    const Trimmed trimmed = trim_unreachable(dfa);
    return quotient(dfa.alphabet(), trimmed, hopcroft(trimmed));
}

}  // namespace statetrack::automata
