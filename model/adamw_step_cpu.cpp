// adamw_step_cpu (see adamw_step_cpu.h). Scalars are rounded to T once, as LibTorch's scalar
// ops do for a T tensor.
#include "model/adamw_step_cpu.h"

#include <cmath>

namespace statetrack::model {

template <typename T>
void adamw_step_cpu(T* param, const T* grad, T* exp_avg, T* exp_avg_sq, int64_t n,
                    const AdamWStepScalars& s) {
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
