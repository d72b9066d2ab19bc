// The activations (see activations.h): their CPU loops through kernels/pointwise_function.h.
#include "kernels/activations.h"

#include "kernels/activations_cpu.h"
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
    static void with_derivative(const T* x, T* y, T* d, int64_t n) {
        gelu_with_derivative_cpu(x, y, d, n);
    }
    static torch::Tensor reference(const torch::Tensor& x) { return torch::gelu(x); }
};

struct SiluOp {
    static constexpr const char* kName = "silu";
    template <typename T>
    static void forward(const T* x, T* y, int64_t n) {
        silu_forward_cpu(x, y, n);
    }
    template <typename T>
    static void with_derivative(const T* x, T* y, T* d, int64_t n) {
        silu_with_derivative_cpu(x, y, d, n);
    }
    static torch::Tensor reference(const torch::Tensor& x) { return torch::silu(x); }
};

struct SoftplusOp {
    static constexpr const char* kName = "softplus";
    template <typename T>
    static void forward(const T* x, T* y, int64_t n) {
        softplus_forward_cpu(x, y, n);
    }
    template <typename T>
    static void with_derivative(const T* x, T* y, T* d, int64_t n) {
        softplus_with_derivative_cpu(x, y, d, n);
    }
    static torch::Tensor reference(const torch::Tensor& x) { return torch::softplus(x); }
};

}  // namespace

torch::Tensor gelu(const torch::Tensor& x) { return apply_pointwise<GeluOp>(x); }
torch::Tensor silu(const torch::Tensor& x) { return apply_pointwise<SiluOp>(x); }
torch::Tensor softplus(const torch::Tensor& x) { return apply_pointwise<SoftplusOp>(x); }

}  // namespace statetrack::kernels
