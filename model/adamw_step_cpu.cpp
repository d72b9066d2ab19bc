// adamw_step_cpu (see adamw_step_cpu.h). Scalars are rounded to T once, as LibTorch's scalar
// ops do for a T tensor.
// Vectorised, once per instruction set (core/target_clones.h). The file is built with
// -fno-math-errno (model/CMakeLists.txt), without which std::sqrt stays a scalar call for
// errno's sake, and -ffp-contract=off: no fused multiply-adds, which would round differently
// per instruction set. Vector square roots and divisions round exactly as the scalar ones, so
// every CPU gives the same bits. Scalar, this loop was 3% of a quick-experiment RWKV-7 run.
#include "model/adamw_step_cpu.h"

#include <cmath>

#include "core/target_clones.h"

namespace statetrack::model {

template <typename T>
STATETRACK_TARGET_CLONES void adamw_step_cpu(T* __restrict param, const T* __restrict grad,
                                             T* __restrict exp_avg, T* __restrict exp_avg_sq,
                                             int64_t n, const AdamWStepScalars& s) {
    const T decay = T(s.decay_factor), b1 = T(s.beta1), b2 = T(s.beta2);
    const T one_minus_b1 = T(1 - s.beta1), one_minus_b2 = T(1 - s.beta2);
    const T sqrt_bc2 = T(s.sqrt_bias_correction2), eps = T(s.eps), step = T(s.step_size);
    for (int64_t i = 0; i < n; ++i) {
        const T g = grad[i];
        const T m = exp_avg[i] * b1 + one_minus_b1 * g;
        const T v = exp_avg_sq[i] * b2 + one_minus_b2 * g * g;
        exp_avg[i] = m;
        exp_avg_sq[i] = v;
        param[i] = param[i] * decay - step * (m / (std::sqrt(v) / sqrt_bc2 + eps));
    }
}

template void adamw_step_cpu<float>(float*, const float*, float*, float*, int64_t,
                                    const AdamWStepScalars&);
template void adamw_step_cpu<double>(double*, const double*, double*, double*, int64_t,
                                     const AdamWStepScalars&);

}  // namespace statetrack::model
