// EvalModeGuard: puts a module in eval mode with gradients off for one scope and restores its
// train/eval mode afterwards, also when an exception leaves the scope.
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
    torch::NoGradGuard no_grad_;
};

}  // namespace statetrack::harness
