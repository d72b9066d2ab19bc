// google-benchmark for task generation: 10M tokens of S5 word-problem data per iteration (the
// target is under a second), parity, MQAR at Zoology's Figure-2 sizes, recognition (exact
// uniform members + near-misses) and JSONL export. items/s = tokens/s. Each benchmark checks
// its task's labels on one example before timing. Print JSON with --benchmark_format=json.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <memory>
#include <sstream>
#include <string>

#include "automata/permutation_group.h"
#include "tasks/dataset_jsonl.h"
#include "tasks/task_catalogue.h"

namespace {

using namespace statetrack;
using tasks::Example;
using tasks::Formulation;

constexpr int64_t kTokensPerIteration = 10'000'000;

// S5 prefix products recomputed by composing permutations (not through the Cayley table).
bool s5_labels_ok(const tasks::Task& task, const Example& ex) {
    const auto parse = [](const std::string& name) {
        return name == "e" ? automata::Permutation::identity(5)
                           : automata::Permutation::parse_cycles(name, 5);
    };
    automata::Permutation product = automata::Permutation::identity(5);
    for (size_t t = 0; t < ex.tokens.size(); ++t) {
        product = product * parse(task.input_vocab().names[ex.tokens[t]]);
        if (parse(task.output_vocab().names[ex.targets[t]]) != product) {
            return false;
        }
    }
    return true;
}

bool parity_labels_ok(const Example& ex) {
    int ones = 0;
    for (int32_t x : ex.tokens) {
        ones += x;
    }
    return ex.targets.back() == ones % 2;
}

// Generates kTokensPerIteration tokens per iteration in examples of `length`.
void generate(benchmark::State& state, const tasks::Task& task, int64_t length) {
    automata::Rng rng(1);
    int64_t tokens = 0;
    for (auto _ : state) {
        for (int64_t done = 0; done < kTokensPerIteration; done += length) {
            Example ex = task.sample(length, rng);
            benchmark::DoNotOptimize(ex.targets.data());
        }
        tokens += kTokensPerIteration;
    }
    state.SetItemsProcessed(tokens);
}

void BM_S5WordProblem(benchmark::State& state) {
    const auto task = tasks::make_task("group:S5", Formulation::kStateTagging);
    automata::Rng rng(0);
    if (!s5_labels_ok(*task, task->sample(256, rng))) {
        state.SkipWithError("S5 labels disagree with permutation products");
        return;
    }
    generate(state, *task, state.range(0));
}
BENCHMARK(BM_S5WordProblem)->Arg(256)->Arg(20)->Unit(benchmark::kMillisecond);

void BM_Parity(benchmark::State& state) {
    const auto task = tasks::make_task("parity");
    automata::Rng rng(0);
    if (!parity_labels_ok(task->sample(256, rng))) {
        state.SkipWithError("parity labels disagree with counting");
        return;
    }
    generate(state, *task, state.range(0));
}
BENCHMARK(BM_Parity)->Arg(256)->Arg(40)->Unit(benchmark::kMillisecond);

void BM_Mqar(benchmark::State& state) {
    const int64_t length = state.range(0);
    const int64_t pairs = state.range(1);
    const auto task =
        tasks::make_task(fmt::format("mqar:vocab=8192,len={},pairs={}", length, pairs));
    automata::Rng rng(0);
    const Example check = task->sample(length, rng);
    for (size_t t = 0; t < check.tokens.size(); ++t) {
        if (check.loss_mask[t] && check.targets[t] != check.tokens[t + 1]) {
            state.SkipWithError("MQAR target is not the value after its query");
            return;
        }
    }
    generate(state, *task, length);
}
BENCHMARK(BM_Mqar)->Args({64, 4})->Args({256, 16})->Args({512, 64})->Unit(benchmark::kMillisecond);

void BM_RecognitionTomita3(benchmark::State& state) {
    const int64_t length = state.range(0);
    const auto task = tasks::make_task("tomita3");
    automata::Rng rng(1);
    task->sample(length, rng);  // builds the counting tables outside the timing
    int64_t tokens = 0;
    for (auto _ : state) {
        Example ex = task->sample(length, rng);
        benchmark::DoNotOptimize(ex.targets.data());
        tokens += length;
    }
    state.SetItemsProcessed(tokens);
}
BENCHMARK(BM_RecognitionTomita3)->Arg(40)->Arg(500)->Unit(benchmark::kMicrosecond);

void BM_ExportJsonl(benchmark::State& state) {
    const tasks::Dataset data = tasks::generate_dataset(
        tasks::DatasetSpec{"parity", Formulation::kFinalLabel, 1, "test", {41, 500}, 4});
    int64_t tokens = 0;
    for (const Example& ex : data.examples) {
        tokens += static_cast<int64_t>(ex.tokens.size());
    }
    int64_t done = 0;
    for (auto _ : state) {
        std::ostringstream out;
        tasks::write_dataset_jsonl(data, out);
        benchmark::DoNotOptimize(out.str().size());
        done += tokens;
    }
    state.SetItemsProcessed(done);
}
BENCHMARK(BM_ExportJsonl)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
