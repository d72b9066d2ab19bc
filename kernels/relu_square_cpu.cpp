// ReLU² loops (see relu_square_cpu.h). Built with -fno-trapping-math (kernels/CMakeLists.txt) so
// that std::max becomes a vectorised compare-and-select, not a mispredicted branch per element;
// like torch::relu, a NaN input stays NaN. Built once per instruction set (core/target_clones.h).
#include "kernels/relu_square_cpu.h"

#include <algorithm>

#include "core/target_clones.h"

namespace statetrack::kernels {

template <typename T>
STATETRACK_TARGET_CLONES void relu_square_forward_cpu(const T* x, T* y, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
        const T r = std::max(x[i], T(0));
        y[i] = r * r;
    }
}

template <typename T>
STATETRACK_TARGET_CLONES void relu_square_with_derivative_cpu(const T* x, T* y, T* d, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
        const T r = std::max(x[i], T(0));
        y[i] = r * r;
        d[i] = r + r;
    }
}

template void relu_square_forward_cpu<float>(const float*, float*, int64_t);
template void relu_square_forward_cpu<double>(const double*, double*, int64_t);
template void relu_square_with_derivative_cpu<float>(const float*, float*, float*, int64_t);
template void relu_square_with_derivative_cpu<double>(const double*, double*, double*, int64_t);

}  // namespace statetrack::kernels
