// RWKV-7 model benchmarks (google-benchmark; use --benchmark_format=json for JSON):
//   Rwkv7TrainStep   2 layers, d_model 128, head size 32, V 64, B 8, T 256: forward (parallel,
//                    kernels::wkv7) + cross-entropy + backward + AdamW step; items = tokens.
//   Rwkv7TrainStepQuick, Rwkv7TrainStepMedium  the same step at the quick experiment's shape and
//                    at d 128 / heads of 64 (the shapes bench/peers compares with PyTorch).
//   Rwkv7StepOpChain/B, Rwkv7StepFused/B  256 tokens one at a time for B sequences: the op-chain
//                    reference and the fused step (model/rwkv7_fused_step.h).
//   Rwkv7Forward     the same shapes, inference only (no autograd).
//   Rwkv7StreamMemory step_logits (the fused step) over 1k and then 100k tokens, batch 1: peak
//                    RSS of each run (VmHWM, reset through /proc/self/clear_refs before each
//                    run), their ratio (flat memory means ≈ 1), the growth over the RSS at the
//                    run's start, and the step rate.
// Rates use wall-clock time (UseRealTime); torch_threads = torch's intra-op thread count.
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include "bench/bench_support.h"
#include "core/heap_retention.h"
#include "model/parameter_gradients.h"
#include "model/rwkv7_init.h"
#include "model/rwkv7_model.h"
#include "model/rwkv7_optim.h"

namespace {

using statetrack::model::Rwkv7Config;
using statetrack::model::Rwkv7Model;

constexpr int64_t kBatch = 8;
constexpr int64_t kSeqLen = 256;
constexpr int64_t kVocab = 64;

Rwkv7Config bench_config() {
    Rwkv7Config c;
    c.vocab_size = kVocab;
    c.n_layers = 2;
    c.d_model = 128;
    c.head_size = 32;
    return statetrack::model::resolve_rwkv7_config(c);
}

// 2 layers of width d, heads of n, vocabulary V.
Rwkv7Config sized_config(int64_t V, int64_t d, int64_t n) {
    Rwkv7Config c;
    c.vocab_size = V;
    c.n_layers = 2;
    c.d_model = d;
    c.head_size = n;
    return statetrack::model::resolve_rwkv7_config(c);
}

torch::Tensor random_tokens(int64_t B, int64_t T, uint64_t seed) {
    return statetrack::bench::random_tokens(B, T, kVocab, seed);
}

// A field of /proc/self/status in KiB (VmRSS, VmHWM); -1 if unavailable.
double proc_status_kib(const std::string& field) {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(field + ":", 0) == 0) {
            return std::stod(line.substr(field.size() + 1));
        }
    }
    return -1;
}

bool reset_peak_rss() {
    std::ofstream out("/proc/self/clear_refs");
    out << "5";
    out.close();
    return static_cast<bool>(out);
}

void set_rate_counters(benchmark::State& state, int64_t tokens_per_iteration) {
    state.SetItemsProcessed(state.iterations() * tokens_per_iteration);
    state.counters["tokens_per_second"] = benchmark::Counter(
        static_cast<double>(tokens_per_iteration), benchmark::Counter::kIsIterationInvariantRate);
    state.counters["torch_threads"] = torch::get_num_threads();
}

// One training step (forward, cross-entropy, backward, AdamW) of `config` on B x T tokens.
// The heap is retained and the gradients cleared as the statetrack trainer does
// (core/heap_retention.h, model/parameter_gradients.h).
void train_steps(benchmark::State& state, const Rwkv7Config& config, int64_t B, int64_t T) {
    statetrack::core::retain_freed_heap();
    Rwkv7Model model = statetrack::model::make_rwkv7_model(config, 1);
    auto optimizer = statetrack::model::make_rwkv7_adamw(*model, {});
    const int64_t V = config.vocab_size;
    const torch::Tensor tokens = statetrack::bench::random_tokens(B, T, V, 2);
    const torch::Tensor targets = statetrack::bench::random_tokens(B, T, V, 3);
    const std::vector<torch::Tensor> params = model->parameters();
    for (auto _ : state) {
        statetrack::model::clear_gradients(params);
        const torch::Tensor logits = model->forward(tokens).logits;
        const torch::Tensor loss =
            torch::nn::functional::cross_entropy(logits.reshape({-1, V}), targets.reshape({-1}));
        loss.backward();
        optimizer->step();
        if (!std::isfinite(loss.item<double>())) {
            state.SkipWithError("non-finite loss");
            break;
        }
    }
    set_rate_counters(state, B * T);
    state.counters["steps_per_second"] =
        benchmark::Counter(1.0, benchmark::Counter::kIsIterationInvariantRate);
}

void Rwkv7TrainStep(benchmark::State& state) {
    train_steps(state, bench_config(), kBatch, kSeqLen);
}
BENCHMARK(Rwkv7TrainStep)->Unit(benchmark::kMillisecond)->MinTime(5.0)->UseRealTime();

// The quick experiment's RWKV-7 shape: V 8, d 64, heads of 32, 2 layers, B 32, T 40.
void Rwkv7TrainStepQuick(benchmark::State& state) {
    train_steps(state, sized_config(8, 64, 32), 32, 40);
}
BENCHMARK(Rwkv7TrainStepQuick)->Unit(benchmark::kMillisecond)->MinTime(3.0)->UseRealTime();

// V 8, d 128, heads of 64, 2 layers, B 8, T 256 (bench/peers compares both with PyTorch).
void Rwkv7TrainStepMedium(benchmark::State& state) {
    train_steps(state, sized_config(8, 128, 64), 8, 256);
}
BENCHMARK(Rwkv7TrainStepMedium)->Unit(benchmark::kMillisecond)->MinTime(3.0)->UseRealTime();

void Rwkv7Forward(benchmark::State& state) {
    Rwkv7Model model = statetrack::model::make_rwkv7_model(bench_config(), 1);
    const torch::Tensor tokens = random_tokens(kBatch, kSeqLen, 2);
    torch::NoGradGuard no_grad;
    for (auto _ : state) {
        benchmark::DoNotOptimize(model->forward(tokens).logits.data_ptr());
    }
    set_rate_counters(state, kBatch * kSeqLen);
}
BENCHMARK(Rwkv7Forward)->Unit(benchmark::kMillisecond)->MinTime(3.0)->UseRealTime();

// Token-by-token inference at V 8, d 128, heads of 64, 2 layers, batch state.range(0): the
// op-chain reference (Rwkv7Model::step) and the fused step that step_logits runs.
void step_tokens(benchmark::State& state, bool fused) {
    const Rwkv7Config config = sized_config(8, 128, 64);
    Rwkv7Model model = statetrack::model::make_rwkv7_model(config, 1);
    const int64_t B = state.range(0);
    constexpr int64_t kTokens = 256;
    const torch::Tensor tokens = statetrack::bench::random_tokens(B, kTokens, 8, 4);
    torch::NoGradGuard no_grad;
    for (auto _ : state) {
        if (fused) {
            const auto s = model->start_state(B);
            for (int64_t t = 0; t < kTokens; ++t) {
                benchmark::DoNotOptimize(model->step_logits(tokens.select(1, t), *s).data_ptr());
            }
        } else {
            auto s = model->initial_state(B);
            for (int64_t t = 0; t < kTokens; ++t) {
                s = model->step(tokens.select(1, t), s).state;
            }
        }
    }
    set_rate_counters(state, B * kTokens);
}

// Batches 1, 8 and 64, in milliseconds of wall time.
void step_batches(benchmark::internal::Benchmark* b) {
    b->Arg(1)->Arg(8)->Arg(64)->Unit(benchmark::kMillisecond)->MinTime(2.0)->UseRealTime();
}

void Rwkv7StepOpChain(benchmark::State& state) { step_tokens(state, false); }
BENCHMARK(Rwkv7StepOpChain)->Apply(step_batches);

void Rwkv7StepFused(benchmark::State& state) { step_tokens(state, true); }
BENCHMARK(Rwkv7StepFused)->Apply(step_batches);

struct RssPeak {
    double peak_mib = 0;    // VmHWM after the run (max sampled VmRSS if the reset failed)
    double growth_kib = 0;  // peak minus the RSS when the run started
};

// Streams `n` tokens through step_logits from a fresh state, batch 1.
RssPeak stream_tokens(Rwkv7Model& model, int64_t n, bool& reset_ok) {
    reset_ok = reset_peak_rss() && reset_ok;
    const double start_kib = proc_status_kib("VmRSS");
    const torch::Tensor tokens = random_tokens(1, n, 4);
    const auto state = model->start_state(1);  // the fused step where it applies
    double sampled_kib = start_kib;
    for (int64_t t = 0; t < n; ++t) {
        model->step_logits(tokens.select(1, t), *state);
        if (t % 1000 == 0) {
            sampled_kib = std::max(sampled_kib, proc_status_kib("VmRSS"));
        }
    }
    const double peak_kib = reset_ok ? proc_status_kib("VmHWM") : sampled_kib;
    return {peak_kib / 1024.0, peak_kib - start_kib};
}

void Rwkv7StreamMemory(benchmark::State& state) {
    Rwkv7Model model = statetrack::model::make_rwkv7_model(bench_config(), 1);
    torch::NoGradGuard no_grad;
    bool reset_ok = true;
    RssPeak short_run, long_run;
    for (auto _ : state) {
        short_run = stream_tokens(model, 1000, reset_ok);
        long_run = stream_tokens(model, 100000, reset_ok);
    }
    state.counters["peak_rss_1k_tokens_mib"] = short_run.peak_mib;
    state.counters["peak_rss_100k_tokens_mib"] = long_run.peak_mib;
    state.counters["peak_rss_ratio"] = long_run.peak_mib / short_run.peak_mib;
    state.counters["rss_growth_1k_tokens_kib"] = short_run.growth_kib;
    state.counters["rss_growth_100k_tokens_kib"] = long_run.growth_kib;
    state.counters["hwm_reset_ok"] = reset_ok ? 1 : 0;  // 0: peaks are sampled VmRSS instead
    state.counters["steps_per_second"] =
        benchmark::Counter(101000.0, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(Rwkv7StreamMemory)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
