// Every model family on a CUDA device against the same model on the CPU: logits, loss and every
// parameter's gradient of one training batch in float32 (TF32 off on both cuBLAS and cuDNN, so
// the two sides differ only in summation order), the same under bf16 autocast on the GPU
// (a bound that catches a wrong path, not rounding), and step mode on the GPU against the
// GPU's own parallel logits. The CPU side takes the CPU-only fused paths (RWKV-7's fused step,
// readout and layer-norm loops); the GPU side takes LibTorch's ops and the CUDA WKV7 kernels, so
// this is the one test that the two implementations of every model agree. Built with a LibTorch
// that has CUDA only (STATETRACK_TEST_TORCH_CUDA); otherwise one test reports itself skipped.
#include <gtest/gtest.h>

#if STATETRACK_TEST_TORCH_CUDA
#include <ATen/Context.h>
#include <torch/torch.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kernels/autocast.h"
#include "model/model_factory.h"
#include "model/rwkv7_test_util.h"
#include "tests/testing/tensor_compare.h"

namespace statetrack::model {
namespace {

constexpr int64_t kVocab = 9, kBatch = 3, kTime = 21;
// float32, summation order only: RWKV-7's WKV7 kernels alone differ by NMSE ~1e-11 (their own
// suite); two layers of backward through them and cuBLAS stay far below 1e-8.
constexpr double kMaxNmseFloat32 = 1e-8;
// bf16 autocast against float32: one bf16 rounding is 2^-9 relative (NMSE ~4e-6 per op); a wrong
// path (an unscaled term, a missing gate) is NMSE of order 1.
constexpr double kMaxNmseBf16 = 1e-2;

std::vector<nlohmann::json> configs() {
    const nlohmann::json rwkv7 = {{"type", "rwkv7"}, {"vocab_size", kVocab}, {"n_layers", 2},
                                  {"d_model", 64},   {"head_size", 32},      {"dim_w", 8},
                                  {"dim_a", 8},      {"dim_v", 8},           {"dim_g", 8}};
    std::vector<nlohmann::json> all = {rwkv7};
    for (const auto& [key, value] :
         std::vector<std::pair<std::string, nlohmann::json>>{{"head_size", 16},
                                                             {"head_size", 64},
                                                             {"transition", "diagonal"},
                                                             {"extended_eigenvalues", true},
                                                             {"value_residual", false},
                                                             {"bonus", false}}) {
        nlohmann::json variant = rwkv7;
        variant[key] = value;
        all.push_back(variant);
    }
    for (const char* positional : {"sinusoidal", "rope", "alibi"}) {
        all.push_back({{"type", "transformer"},
                       {"vocab_size", kVocab},
                       {"n_layers", 2},
                       {"d_model", 32},
                       {"n_heads", 4},
                       {"positional", positional}});
    }
    for (const bool negative : {false, true}) {
        all.push_back({{"type", "mamba"},
                       {"vocab_size", kVocab},
                       {"n_layers", 2},
                       {"d_model", 32},
                       {"d_state", 8},
                       {"negative_eigenvalues", negative}});
    }
    all.push_back({{"type", "lstm"}, {"vocab_size", kVocab}, {"n_layers", 2}, {"d_model", 32}});
    return all;
}

// A perturbed float32 model on `device`: the inits zero whole paths (RWKV-7's output
// projections), which would hide a broken path from the comparison.
SequenceModelPtr make_model(const nlohmann::json& config, torch::Device device) {
    SequenceModelPtr model = make_sequence_model(config, 5);
    testing::perturb_parameters(*model, 0.2, 6);
    model->to(device);
    return model;
}

struct Pass {
    torch::Tensor logits;  // (B,T,V) float32 on the CPU
    double loss = 0;
    std::vector<torch::Tensor> grads;  // per parameter, on the CPU
};

Pass train_pass(SequenceModel& model, torch::Device device, bool bf16) {
    const torch::Tensor tokens = testing::random_tokens(kBatch, kTime, kVocab, 12);
    const torch::Tensor targets = testing::random_tokens(kBatch, kTime, kVocab, 13);
    model.zero_grad();
    torch::Tensor logits;
    {
        kernels::AutocastScope autocast(device, bf16);
        logits = model.logits(tokens.to(device));
    }
    logits = logits.to(torch::kFloat32);
    const torch::Tensor loss =
        torch::cross_entropy_loss(logits.reshape({-1, kVocab}), targets.to(device).reshape(-1));
    loss.backward();
    Pass pass{logits.detach().cpu(), loss.item<double>(), {}};
    for (const torch::Tensor& p : model.parameters()) {
        pass.grads.push_back(p.grad().defined() ? p.grad().cpu() : torch::zeros_like(p).cpu());
    }
    return pass;
}

class ModelCuda : public ::testing::Test {
  protected:
    void SetUp() override {
        if (!torch::cuda::is_available()) {
            GTEST_SKIP() << "no CUDA device: torch::cuda::is_available() is false";
        }
        at::globalContext().setAllowTF32CuBLAS(false);
        at::globalContext().setAllowTF32CuDNN(false);
    }
};

void expect_passes_agree(const Pass& ref, const Pass& got, double max_nmse,
                         const SequenceModel& model) {
    EXPECT_TRUE(statetrack::testing::tensors_close(ref.logits, got.logits, max_nmse)) << "logits";
    EXPECT_NEAR(got.loss, ref.loss, 1e3 * max_nmse * std::abs(ref.loss) + 1e-6) << "loss";
    const auto named = model.named_parameters();
    ASSERT_EQ(ref.grads.size(), named.size());
    for (size_t i = 0; i < named.size(); ++i) {
        EXPECT_TRUE(statetrack::testing::tensors_close(ref.grads[i], got.grads[i], max_nmse))
            << "gradient of " << named[i].key();
    }
}

TEST_F(ModelCuda, Float32TrainingPassMatchesTheCpu) {
    for (const nlohmann::json& config : configs()) {
        SCOPED_TRACE(config.dump());
        SequenceModelPtr cpu = make_model(config, torch::kCPU);
        SequenceModelPtr gpu = make_model(config, torch::kCUDA);
        expect_passes_agree(train_pass(*cpu, torch::kCPU, false),
                            train_pass(*gpu, torch::kCUDA, false), kMaxNmseFloat32, *cpu);
    }
}

TEST_F(ModelCuda, Bf16AutocastTrainingPassStaysNearFloat32) {
    for (const nlohmann::json& config : configs()) {
        SCOPED_TRACE(config.dump());
        SequenceModelPtr cpu = make_model(config, torch::kCPU);
        SequenceModelPtr gpu = make_model(config, torch::kCUDA);
        const Pass got = train_pass(*gpu, torch::kCUDA, true);
        expect_passes_agree(train_pass(*cpu, torch::kCPU, false), got, kMaxNmseBf16, *cpu);
        for (const torch::Tensor& p : gpu->parameters()) {
            EXPECT_EQ(p.scalar_type(), torch::kFloat32) << "master weights stay float32";
        }
    }
}

TEST_F(ModelCuda, StepModeOnTheGpuMatchesItsParallelLogits) {
    torch::NoGradGuard no_grad;
    for (const nlohmann::json& config : configs()) {
        SCOPED_TRACE(config.dump());
        SequenceModelPtr gpu = make_model(config, torch::kCUDA);
        ASSERT_TRUE(gpu->has_step_mode());
        const torch::Tensor tokens = testing::random_tokens(kBatch, kTime, kVocab, 14).cuda();
        const torch::Tensor parallel = gpu->logits(tokens);
        auto state = gpu->start_state(kBatch);
        std::vector<torch::Tensor> steps;
        for (int64_t t = 0; t < kTime; ++t) {
            steps.push_back(gpu->step_logits(tokens.select(1, t), *state));
        }
        const torch::Tensor stepped = torch::stack(steps, 1);
        EXPECT_EQ(stepped.device(), parallel.device());
        EXPECT_TRUE(
            statetrack::testing::tensors_close(parallel.cpu(), stepped.cpu(), kMaxNmseFloat32));
    }
}

}  // namespace
}  // namespace statetrack::model

#else
TEST(ModelCuda, SkippedWithoutCudaLibTorch) {
    GTEST_SKIP() << "built without a CUDA LibTorch (STATETRACK_TEST_TORCH_CUDA is off): the "
                    "models on CUDA are untested here";
}
#endif
