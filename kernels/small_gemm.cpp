// small_mm (see small_gemm.h): the choice between the kernel and at::mm, and its arguments.
#include "kernels/small_gemm.h"

#include "kernels/small_gemm_cpu.h"

namespace statetrack::kernels {
namespace {

constexpr int64_t kMinRowsToCopyB = 32;

void check_shapes(const torch::Tensor& a, const torch::Tensor& b) {
    TORCH_CHECK(a.dim() == 2 && b.dim() == 2 && a.size(1) == b.size(0),
                "small_mm: expected (M,K) and (K,N) matrices, got ", a.sizes(), " and ", b.sizes());
}

bool kernel_applies(const torch::Tensor& a, const torch::Tensor& b) {
    return a.scalar_type() == torch::kFloat32 && b.scalar_type() == torch::kFloat32 &&
           a.device().is_cpu() && b.device().is_cpu() && a.size(0) > 0 && a.size(1) > 0 &&
           small_gemm_cpu_available(b.size(1));
}

// c = a·b (+ bias) through the kernel; b's rows contiguous, c and bias contiguous; g's epilogue
// pointers as the caller set them.
void kernel_product(torch::Tensor& c, const torch::Tensor& a, const torch::Tensor& b,
                    const torch::Tensor& bias = {}, SmallGemmArgs g = {}) {
    g.M = a.size(0), g.N = b.size(1), g.K = a.size(1);
    g.a = a.data_ptr<float>(), g.a_row = a.stride(0), g.a_col = a.stride(1);
    g.b = b.data_ptr<float>(), g.ldb = b.stride(0);
    g.c = c.data_ptr<float>(), g.ldc = g.N;
    g.bias = bias.defined() ? bias.data_ptr<float>() : nullptr;
    small_gemm_cpu(g);
}

// b with contiguous rows: a transposed weight (column-major b) through transpose_cpu, any other
// layout through LibTorch.
torch::Tensor contiguous_rows(const torch::Tensor& b) {
    if (b.stride(0) != 1) {
        return b.contiguous();
    }
    torch::Tensor out = torch::empty(b.sizes(), b.options());
    transpose_cpu(b.data_ptr<float>(), b.size(1), b.size(0), b.stride(1), out.data_ptr<float>());
    return out;
}

// Whether small_mm(a, b, bias) runs the kernel. A transposed b (a weight in x·wᵀ) is copied
// first: K·N moves, worth it only when the product has enough rows to amortise them
// (token-by-token steps have one per sequence).
bool kernel_takes(const torch::Tensor& a, const torch::Tensor& b, const torch::Tensor& bias) {
    return kernel_applies(a, b) && (b.stride(1) == 1 || a.size(0) >= kMinRowsToCopyB) &&
           (!bias.defined() || (bias.scalar_type() == torch::kFloat32 && bias.device().is_cpu()));
}

void check_bias(const torch::Tensor& b, const torch::Tensor& bias) {
    TORCH_CHECK(!bias.defined() || (bias.dim() == 1 && bias.size(0) == b.size(1)),
                "small_mm: the bias must be (", b.size(1), "), got ", bias.sizes());
}

void check_float32_cpu(const char* name, std::initializer_list<torch::Tensor> tensors) {
    for (const torch::Tensor& t : tensors) {
        TORCH_CHECK(!t.defined() || (t.scalar_type() == torch::kFloat32 && t.device().is_cpu()),
                    name, ": expected float32 CPU tensors, got ", t.scalar_type(), " on ",
                    t.device());
    }
}

// The kernel's product with g's epilogue; the caller checked kernel_takes.
torch::Tensor epilogue_product(const torch::Tensor& a, const torch::Tensor& b,
                               const torch::Tensor& bias, const SmallGemmArgs& g) {
    torch::Tensor c = torch::empty({a.size(0), b.size(1)}, a.options());
    kernel_product(c, a, b.stride(1) == 1 ? b : contiguous_rows(b),
                   bias.defined() ? bias.contiguous() : bias, g);
    return c;
}

}  // namespace

torch::Tensor small_mm(const torch::Tensor& a, const torch::Tensor& b, const torch::Tensor& bias) {
    check_shapes(a, b);
    check_bias(b, bias);
    if (!kernel_takes(a, b, bias)) {
        torch::Tensor c = at::mm(a, b);
        return bias.defined() ? c.add_(bias) : c;
    }
    return epilogue_product(a, b, bias, {});
}

torch::Tensor small_mm_times(const torch::Tensor& a, const torch::Tensor& b,
                             const torch::Tensor& m) {
    check_shapes(a, b);
    check_float32_cpu("small_mm_times", {a, b, m});
    TORCH_CHECK(
        m.dim() == 2 && m.is_contiguous() && m.size(0) == a.size(0) && m.size(1) == b.size(1),
        "small_mm_times: the multiplier must be a contiguous (", a.size(0), ",", b.size(1),
        ") matrix, got ", m.sizes());
    if (!kernel_takes(a, b, {})) {
        return small_mm(a, b).mul_(m);
    }
    SmallGemmArgs g;
    g.multiplier = m.data_ptr<float>();
    return epilogue_product(a, b, {}, g);
}

void small_mm_into(torch::Tensor& c, const torch::Tensor& a, const torch::Tensor& b) {
    check_shapes(a, b);
    TORCH_CHECK(c.is_contiguous() && c.size(0) == a.size(0) && c.size(1) == b.size(1) &&
                    c.scalar_type() == a.scalar_type(),
                "small_mm_into: needs a contiguous (", a.size(0), ",", b.size(1),
                ") output of a's dtype, got ", c.sizes(), " ", c.scalar_type());
    if (kernel_applies(a, b) && b.stride(1) == 1) {
        kernel_product(c, a, b);
    } else {
        at::mm_out(c, a, b);
    }
}

}  // namespace statetrack::kernels
