// google-benchmark for the automata core: regex -> minimal DFA, Hopcroft minimisation of a
// random 300-state DFA, and exact uniform sampling. Print JSON with --benchmark_format=json.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "automata/dfa_minimize.h"
#include "automata/dfa_sampler.h"
#include "automata/regex.h"

namespace {

using namespace statetrack::automata;

const std::vector<std::string> kPatterns = {
    "(a|b)*abb",                  // the textbook example, 4 states
    "(a|b)*a(a|b){8}",            // subset blow-up: 512 states
    "((a|b){5})*c(ab|ba){3,20}",  // counted repetition
    "[ab]{0,200}",                // long chain
};

// Uniform random complete DFA, each state accepting with probability 1/2.
Dfa random_dfa(uint64_t seed, State n, size_t k) {
    Rng rng(seed);
    std::vector<State> table;
    std::vector<bool> accepting;
    for (State q = 0; q < n; ++q) {
        accepting.push_back(bernoulli(rng, 1, 2));
        for (size_t s = 0; s < k; ++s) {
            table.push_back(static_cast<State>(uniform_below(rng, static_cast<uint64_t>(n))));
        }
    }
    return Dfa(Alphabet::from_chars(std::string("abcdefgh").substr(0, k)), n, 0,
               std::move(accepting), std::move(table));
}

void BM_RegexToMinimalDfa(benchmark::State& state) {
    const std::string& pattern = kPatterns[static_cast<size_t>(state.range(0))];
    for (auto _ : state) {
        // Rvalue (read-only) DoNotOptimize only: GCC can miscompile the read-write "+m,r" form
        // on a local (google/benchmark#903, GCC PR 92597); we saw garbage state counts.
        benchmark::DoNotOptimize(regex_to_dfa(pattern).num_states());
    }
    state.SetLabel(pattern + " -> " + std::to_string(regex_to_dfa(pattern).num_states()) +
                   " states");
}
BENCHMARK(BM_RegexToMinimalDfa)
    ->DenseRange(0, static_cast<int>(kPatterns.size()) - 1)
    ->Unit(benchmark::kMicrosecond);

void BM_MinimizeRandomDfa(benchmark::State& state) {
    const auto n = static_cast<State>(state.range(0));
    const Dfa dfa = random_dfa(7, n, static_cast<size_t>(state.range(1)));
    for (auto _ : state) {
        benchmark::DoNotOptimize(minimize(dfa).num_states());
    }
    state.SetComplexityN(n);
}
BENCHMARK(BM_MinimizeRandomDfa)
    ->Args({300, 2})
    ->Args({300, 4})
    ->Args({3000, 4})
    ->Unit(benchmark::kMicrosecond);

void BM_SamplerBuild(benchmark::State& state) {
    const Dfa dfa = random_dfa(8, 300, 2);
    const auto length = static_cast<size_t>(state.range(0));
    for (auto _ : state) {
        const DfaSampler sampler(dfa, length);
        benchmark::DoNotOptimize(sampler.count_members(length));
    }
}
BENCHMARK(BM_SamplerBuild)->Arg(64)->Arg(256)->Unit(benchmark::kMillisecond);

void BM_SampleMember(benchmark::State& state) {
    const Dfa dfa = random_dfa(8, 300, 2);
    const auto length = static_cast<size_t>(state.range(0));
    const DfaSampler sampler(dfa, length);
    Rng rng(1);
    for (auto _ : state) {
        benchmark::DoNotOptimize(sampler.sample_member(length, rng));
    }
}
BENCHMARK(BM_SampleMember)->Arg(64)->Arg(256)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
