// Training cost of every model type against sequence length (issue 4's scaling table).
//   TrainStep/<type>/<T>: one AdamW training step (forward over the whole sequence, masked-free
//   cross-entropy on every position, backward, optimiser step) of a 2-layer, d_model 128 model,
//   V 64, at T ∈ {64, 256, 1024, 4096} with B = max(1, 8192 / T), so every step sees the same
//   8192 tokens and the tokens/s column shows how the cost per token grows with T (quadratic
//   attention vs linear recurrences).
// Counters: tokens_per_second (wall clock), peak_MiB = the largest amount of tensor memory live
// during one step above what was live before it (activations, gradients, optimiser state
// created on the first step excluded), measured by a CPU allocator that counts bytes (it
// replaces torch's default CPU allocator for the whole program; OpenBLAS's own buffers are not
// counted), parameters and state_floats (SequenceModel::state_size(T)).
//   StepMode/<type>/<B>: inference in step mode (step_logits), 256 tokens one at a time for B
//   sequences (B ∈ {1, 8, 64}) from a fresh state; tokens_per_second counts B · 256.
// Models: rwkv7 (head size 32), transformer (4 heads, RoPE), lstm, mamba (d_state 16), built
// through the factory; a type the build lacks is reported as an error row, not silently dropped.
// Usage: sequence_model_bench [--threads=N] [--benchmark_format=json] [--benchmark_filter=...]
#include <benchmark/benchmark.h>
#include <c10/core/CPUAllocator.h>
#include <torch/torch.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "bench/bench_support.h"
#include "core/heap_retention.h"
#include "model/adamw.h"
#include "model/model_factory.h"

namespace {

constexpr int64_t kVocab = 64;
constexpr int64_t kTokensPerStep = 8192;

// Counts live tensor bytes and their high-water mark; the memory itself comes from `base`.
// The context of every DataPtr is its data pointer (some torch paths, raw_allocate, require
// that), so the inner allocation is found again in a table when it is freed.
class CountingCpuAllocator final : public c10::Allocator {
  public:
    explicit CountingCpuAllocator(c10::Allocator* base) : base_(base) {}
    c10::DataPtr allocate(size_t bytes) const override {
        c10::DataPtr inner = base_->allocate(bytes);
        void* data = inner.get();
        {
            std::lock_guard<std::mutex> lock(mutex_);
            live_allocations_.emplace(data, std::make_pair(std::move(inner), bytes));
        }
        add(static_cast<int64_t>(bytes));
        return {data, data, &release, c10::Device(c10::DeviceType::CPU)};
    }
    c10::DeleterFnPtr raw_deleter() const override { return &release; }

    // Starts a new high-water mark at the current level; returns that level.
    static int64_t reset_peak() {
        peak_ = live_.load();
        return peak_;
    }
    static int64_t peak() { return peak_.load(); }

  private:
    static void release(void* data) {
        if (data == nullptr) {
            return;
        }
        std::pair<c10::DataPtr, size_t> entry;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            auto it = live_allocations_.find(data);
            entry = std::move(it->second);
            live_allocations_.erase(it);
        }
        add(-static_cast<int64_t>(entry.second));
    }  // entry.first frees the memory here
    static void add(int64_t bytes) {
        const int64_t now = live_ += bytes;
        int64_t seen = peak_.load();
        while (now > seen && !peak_.compare_exchange_weak(seen, now)) {
        }
    }
    c10::Allocator* base_;
    static inline std::mutex mutex_;
    static inline std::unordered_map<void*, std::pair<c10::DataPtr, size_t>> live_allocations_;
    static inline std::atomic<int64_t> live_{0};
    static inline std::atomic<int64_t> peak_{0};
};

nlohmann::json bench_config(const std::string& type) {
    nlohmann::json c = {{"type", type}, {"vocab_size", kVocab}, {"n_layers", 2}, {"d_model", 128}};
    if (type == "rwkv7") {
        c["head_size"] = 32;
    } else if (type == "transformer") {
        c["n_heads"] = 4;
        c["positional"] = "rope";
    }
    return c;
}

// The benchmark's model of `type`; null, with the benchmark marked as an error row, when this
// build cannot make it.
statetrack::model::SequenceModelPtr bench_model(benchmark::State& state, const std::string& type) {
    try {
        return statetrack::model::make_sequence_model(bench_config(type), 1);
    } catch (const std::exception& e) {
        state.SkipWithError(e.what());
        return nullptr;
    }
}

void train_step(statetrack::model::SequenceModel& model, torch::optim::Optimizer& optimizer,
                const torch::Tensor& tokens) {
    const torch::Tensor logits = model.logits(tokens);
    const torch::Tensor loss = torch::nn::functional::cross_entropy(
        logits.reshape({-1, kVocab}), tokens.roll(1, 1).reshape({-1}));
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
}

void BM_TrainStep(benchmark::State& state, const std::string& type) {
    const int64_t T = state.range(0);
    const int64_t B = std::max<int64_t>(1, kTokensPerStep / T);
    const statetrack::model::SequenceModelPtr model = bench_model(state, type);
    if (!model) {
        return;
    }
    auto optimizer = statetrack::model::make_adamw(model->param_groups(), {});
    const torch::Tensor tokens = statetrack::bench::random_tokens(B, T, kVocab, 7);
    train_step(*model, *optimizer, tokens);  // warm-up: creates the optimiser state
    const int64_t before = CountingCpuAllocator::reset_peak();
    train_step(*model, *optimizer, tokens);
    const double peak_mib = static_cast<double>(CountingCpuAllocator::peak() - before) / (1 << 20);
    for (auto _ : state) {
        train_step(*model, *optimizer, tokens);
    }
    state.SetItemsProcessed(state.iterations() * B * T);
    state.counters["tokens_per_second"] = benchmark::Counter(
        static_cast<double>(B * T), benchmark::Counter::kIsIterationInvariantRate);
    state.counters["peak_MiB"] = peak_mib;
    state.counters["batch"] = static_cast<double>(B);
    state.counters["parameters"] = static_cast<double>(model->parameter_count());
    state.counters["state_floats"] = static_cast<double>(model->state_size(T));
}

// Step mode (SequenceModel::step_logits, inference): 256 tokens one at a time for B sequences
// from a fresh state; the rate shows how each type's recurrent form scales with the batch.
void BM_StepMode(benchmark::State& state, const std::string& type) {
    const int64_t B = state.range(0);
    constexpr int64_t kTokens = 256;
    const statetrack::model::SequenceModelPtr model = bench_model(state, type);
    if (!model) {
        return;
    }
    const torch::Tensor tokens = statetrack::bench::random_tokens(B, kTokens, kVocab, 7);
    c10::InferenceMode inference;  // as step-mode evaluation runs (harness/training)
    model->eval();
    for (auto _ : state) {
        const auto s = model->start_state(B);
        for (int64_t t = 0; t < kTokens; ++t) {
            benchmark::DoNotOptimize(
                model->step_logits(tokens.select(1, t).contiguous(), *s).data_ptr());
        }
    }
    state.counters["tokens_per_second"] = benchmark::Counter(
        static_cast<double>(B * kTokens), benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace

int main(int argc, char** argv) {
    statetrack::core::retain_freed_heap();  // as statetrack itself runs (harness/main)
    static CountingCpuAllocator allocator(c10::GetCPUAllocator());
    c10::SetCPUAllocator(&allocator, /*priority=*/100);
    statetrack::bench::apply_threads_flag(&argc, argv);
    for (const std::string type : {"rwkv7", "transformer", "lstm", "mamba"}) {
        benchmark::RegisterBenchmark(("TrainStep/" + type).c_str(), BM_TrainStep, type)
            ->ArgName("T")
            ->Arg(64)
            ->Arg(256)
            ->Arg(1024)
            ->Arg(4096)
            ->Unit(benchmark::kMillisecond)
            ->UseRealTime()
            ->MinTime(2.0);
        benchmark::RegisterBenchmark(("StepMode/" + type).c_str(), BM_StepMode, type)
            ->ArgName("B")
            ->Arg(1)
            ->Arg(8)
            ->Arg(64)
            ->Unit(benchmark::kMillisecond)
            ->UseRealTime()
            ->MinTime(1.0);
    }
    benchmark::Initialize(&argc, argv);
    benchmark::AddCustomContext("torch_num_threads", std::to_string(at::get_num_threads()));
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
