// Algebraic classification and group closure timings. Target (the issue): classifying a
// 300-state DFA takes under a second. The 300-state inputs are structured so that their monoids
// are moderate: a counter with reset (monoid Z300 plus 300 constants, 600 elements) and S5
// acting on 5 points beside a mod-60 counter (a 7200-element group, non-solvable). A uniformly
// random 300-state DFA has an astronomically large monoid; its benchmark times how fast the
// default cap (100000 elements) stops the enumeration with its error.
#include <benchmark/benchmark.h>

#include <stdexcept>
#include <vector>

#include "automata/algebra.h"
#include "automata/permutation_group.h"
#include "automata/random.h"

namespace statetrack::automata {
namespace {

Dfa dfa_from_letter_maps(const std::vector<std::vector<State>>& maps) {
    const size_t n = maps.front().size(), k = maps.size();
    std::vector<State> table(n * k);
    for (size_t q = 0; q < n; ++q) {
        for (size_t a = 0; a < k; ++a) {
            table[q * k + a] = maps[a][q];
        }
    }
    std::vector<bool> accepting(n, false);
    accepting[0] = true;
    return Dfa(Alphabet::from_chars(std::string("abcd").substr(0, k)), static_cast<State>(n), 0,
               std::move(accepting), std::move(table));
}

// 300 states: 'a' increments mod 300, 'b' resets to 0, 'c' keeps the count. Without 'c' the
// language would be AC0 (the count after the last reset is fixed by that reset's position).
Dfa counter_with_reset() {
    std::vector<State> increment(300), reset(300, 0), keep(300);
    for (size_t q = 0; q < 300; ++q) {
        increment[q] = static_cast<State>((q + 1) % 300);
        keep[q] = static_cast<State>(q);
    }
    return dfa_from_letter_maps({increment, reset, keep});
}

// State (p, c), p in 0..4, c in 0..59: 'a' applies (1 2) to p, 'b' applies (1 2 3 4 5);
// both advance c. 300 states.
Dfa s5_points_with_counter() {
    std::vector<State> swap(300), rotate(300);
    for (size_t p = 0; p < 5; ++p) {
        for (size_t c = 0; c < 60; ++c) {
            const size_t next = (c + 1) % 60;
            swap[p * 60 + c] = static_cast<State>((p < 2 ? 1 - p : p) * 60 + next);
            rotate[p * 60 + c] = static_cast<State>((p + 1) % 5 * 60 + next);
        }
    }
    return dfa_from_letter_maps({swap, rotate});
}

Dfa random_dfa(size_t states, size_t letters, uint64_t seed) {
    Rng rng(seed);
    std::vector<std::vector<State>> maps(letters, std::vector<State>(states));
    for (auto& m : maps) {
        for (State& q : m) {
            q = static_cast<State>(uniform_below(rng, states));
        }
    }
    return dfa_from_letter_maps(maps);
}

void run_classify(benchmark::State& state, const Dfa& dfa) {
    AlgebraReport report;
    for (auto _ : state) {
        report = classify(dfa);
        benchmark::DoNotOptimize(report);
    }
    state.counters["states"] = static_cast<double>(report.dfa_states);
    state.counters["monoid"] = static_cast<double>(report.monoid_size);
    state.counters["largest_group"] = static_cast<double>(report.largest_group_order);
    state.SetLabel(to_string(report.circuit));
}

void BM_ClassifyS5CayleyAllElements(benchmark::State& state) {
    run_classify(state, PermutationGroup::from_spec("S5").cayley_dfa_all_elements());
}
BENCHMARK(BM_ClassifyS5CayleyAllElements)->Unit(benchmark::kMillisecond);

void BM_ClassifyCounterWithReset300(benchmark::State& state) {
    run_classify(state, counter_with_reset());
}
BENCHMARK(BM_ClassifyCounterWithReset300)->Unit(benchmark::kMillisecond);

void BM_ClassifyS5PointsWithCounter300(benchmark::State& state) {
    run_classify(state, s5_points_with_counter());
}
BENCHMARK(BM_ClassifyS5PointsWithCounter300)->Unit(benchmark::kMillisecond);

void BM_ClassifyRandom300HitsCap(benchmark::State& state) {
    const Dfa dfa = random_dfa(300, 2, 1);
    bool capped = false;
    for (auto _ : state) {
        try {
            benchmark::DoNotOptimize(classify(dfa));
        } catch (const std::runtime_error&) {
            capped = true;
        }
    }
    state.SetLabel(capped ? "stopped by the 100000-element cap" : "classified");
}
BENCHMARK(BM_ClassifyRandom300HitsCap)->Unit(benchmark::kMillisecond);

void BM_GroupClosure(benchmark::State& state, const char* spec) {
    size_t order = 0;
    for (auto _ : state) {
        order = PermutationGroup::from_spec(spec).order();
        benchmark::DoNotOptimize(order);
    }
    state.counters["order"] = static_cast<double>(order);
}
BENCHMARK_CAPTURE(BM_GroupClosure, S5, "S5")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_GroupClosure, A4xZ5, "A4xZ5")->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace statetrack::automata

BENCHMARK_MAIN();
