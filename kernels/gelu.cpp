// gelu (see gelu.h): the CPU loops through kernels/pointwise_function.h.
#include "kernels/gelu.h"

#include "kernels/gelu_cpu.h"
#include "kernels/pointwise_function.h"

namespace statetrack::kernels {
namespace {

struct GeluOp {
    static constexpr const char* kName = "gelu";
    template <typename T>
    static void forward(const T* x, T* y, int64_t n) {
        gelu_forward_cpu(x, y, n);
    }
    template <typename T>
    static void backward(const T* x, const T* dy, T* dx, int64_t n) {
        gelu_backward_cpu(x, dy, dx, n);
    }
    static torch::Tensor reference(const torch::Tensor& x) { return torch::gelu(x); }
};

}  // namespace

torch::Tensor gelu(const torch::Tensor& x) { return apply_pointwise<GeluOp>(x); }

}  // namespace statetrack::kernels
