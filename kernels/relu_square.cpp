// relu_square (see relu_square.h): the CPU loops through kernels/pointwise_function.h.
#include "kernels/relu_square.h"

#include "kernels/pointwise_function.h"
#include "kernels/relu_square_cpu.h"

namespace statetrack::kernels {
namespace {

struct ReluSquareOp {
    static constexpr const char* kName = "relu_square";
    template <typename T>
    static void forward(const T* x, T* y, int64_t n) {
        relu_square_forward_cpu(x, y, n);
    }
    template <typename T>
    static void with_derivative(const T* x, T* y, T* d, int64_t n) {
        relu_square_with_derivative_cpu(x, y, d, n);
    }
    static torch::Tensor reference(const torch::Tensor& x) { return torch::relu(x).square(); }
};

}  // namespace

torch::Tensor relu_square(const torch::Tensor& x) { return apply_pointwise<ReluSquareOp>(x); }

}  // namespace statetrack::kernels
