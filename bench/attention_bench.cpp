// The Transformer's attention core (model/transformer_attention_core.h: heads split, RoPE,
// causal softmax, probabilities times v, as one op over kernels/attention_cpu.h) against the
// same computation in LibTorch ops (transformer_attention_core_reference, its backward by
// autograd), forward (no grad) and forward+backward, at the quick experiment's shape: B=32,
// H=4 heads of N=16 (d_model 64), causal mask, RoPE, float32, T ∈ {20, 40, 128} (20 and 40:
// the mean and longest training length of the quick tasks).
// Counters: speedup (reference time over op time, same T and mode, same run). Before any
// timing, main() checks the op against the float64 oracle on the benchmark's own inputs and
// exits 1 on a mismatch (bench/op_bench.h). The registry's contract wants a final state: here
// it is the output at the last position (y[:, T-1]), which adds one more check of y.
// Usage: attention_bench [--threads=N] [--benchmark_format=json] [--benchmark_filter=...]
#include <ATen/CPUGeneratorImpl.h>
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <torch/torch.h>

#include <map>
#include <tuple>
#include <utility>
#include <vector>

#include "bench/op_bench.h"
#include "model/positional_encoding.h"
#include "model/transformer_attention.h"
#include "model/transformer_attention_core.h"

namespace {

namespace model = statetrack::model;

constexpr int64_t kB = 32, kH = 4, kN = 16, kC = kH * kN;

// qkv ~ N(0, 1): the qkv Linear's output at initialisation has about unit scale.
std::vector<torch::Tensor> make_inputs(int64_t T, torch::ScalarType dtype) {
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(uint64_t{2024});
    const auto f64 = torch::TensorOptions().dtype(torch::kFloat64);
    return statetrack::bench::to_dtype({torch::randn({kB, T, 3 * kC}, gen, f64)}, dtype);
}

// The causal mask and RoPE tables of a length and dtype, built once (as the model keeps them),
// so that the timings are the attention's alone.
struct Tables {
    model::RopeTables rope;
    torch::Tensor mask;
};
const Tables& tables(int64_t T, torch::ScalarType dtype) {
    static std::map<std::pair<int64_t, torch::ScalarType>, Tables> kept;
    auto it = kept.find({T, dtype});
    if (it == kept.end()) {
        const auto options = torch::TensorOptions().dtype(dtype);
        it = kept.emplace(std::make_pair(T, dtype),
                          Tables{model::rope_tables(0, T, kN, options),
                                 model::causal_mask_bias(0, T, T, options)})
                 .first;
    }
    return it->second;
}

std::tuple<torch::Tensor, torch::Tensor> attend(const std::vector<torch::Tensor>& x,
                                                bool reference) {
    const torch::Tensor& qkv = x[0];
    const int64_t T = qkv.size(1);
    const Tables& t = tables(T, qkv.scalar_type());
    const model::AttentionCoreInputs in{qkv, kH, &t.rope, t.mask};
    const torch::Tensor y = reference ? model::transformer_attention_core_reference(in)
                                      : model::transformer_attention_core(in);
    return {y, y.select(1, T - 1)};
}

}  // namespace

int main(int argc, char** argv) {
    statetrack::bench::OpBench op;
    op.program = "attention_bench";
    op.family = "attention";
    op.steps = {4, 8, 20, 40, 128};
    op.make_inputs = &make_inputs;
    op.y_sizes = [](int64_t T) { return std::vector<int64_t>{kB, T, kC}; };
    op.state_sizes = {kB, kC};
    op.op = [](const std::vector<torch::Tensor>& x) { return attend(x, false); };
    op.reference = [](const std::vector<torch::Tensor>& x) { return attend(x, true); };
    op.grad_names = {"dqkv"};
    op.state_name = "y_last";
    op.items_per_step = kB;  // tokens
    op.context = {{"shape", fmt::format("B={} H={} N={} float32, causal mask, RoPE", kB, kH, kN)}};
    return statetrack::bench::op_bench_main(argc, argv, op);
}
