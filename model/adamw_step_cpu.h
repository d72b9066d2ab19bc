// One AdamW update of one parameter tensor as a raw loop over its n contiguous elements
// (torch-free; model/fused_adamw.h runs it for every parameter). Per element, in this order,
// exactly the arithmetic of torch::optim::AdamW::step (LibTorch 1.13), fused into one pass:
//   p ← p·(1 − lr·weight_decay)
//   m ← β1·m + (1 − β1)·g,  v ← β2·v + (1 − β2)·g²
//   p ← p − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + eps)
// The scalars come precomputed for the step t. The four arrays must not overlap. Defined for
// float and double.
#pragma once

#include <cstdint>

namespace statetrack::model {

struct AdamWStepScalars {
    double decay_factor = 1.0;  // 1 − lr·weight_decay
    double beta1 = 0.9, beta2 = 0.999;
    double sqrt_bias_correction2 = 1.0;  // √(1 − β2^t)
    double eps = 1e-8;
    double step_size = 1e-3;  // lr / (1 − β1^t)
};

template <typename T>
void adamw_step_cpu(T* param, const T* grad, T* exp_avg, T* exp_avg_sq, int64_t n,
                    const AdamWStepScalars& s);

}  // namespace statetrack::model
