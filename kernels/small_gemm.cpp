// small_mm (see small_gemm.h): the choice between the kernel and at::mm, and its arguments.
#include "kernels/small_gemm.h"

#include "kernels/small_gemm_cpu.h"

namespace statetrack::kernels {
namespace {

constexpr int64_t kMinRowsToCopyB = 32;

}  // namespace

torch::Tensor small_mm(const torch::Tensor& a, const torch::Tensor& b) {
    TORCH_CHECK(a.dim() == 2 && b.dim() == 2 && a.size(1) == b.size(0),
                "small_mm: expected (M,K) and (K,N) matrices, got ", a.sizes(), " and ", b.sizes());
    const int64_t M = a.size(0), K = a.size(1), N = b.size(1);
    const bool kernel = a.scalar_type() == torch::kFloat32 && b.scalar_type() == torch::kFloat32 &&
                        a.device().is_cpu() && b.device().is_cpu() && M > 0 && K > 0 &&
                        small_gemm_cpu_available(N);
    // A transposed b (a weight in x·wᵀ) is copied first: K·N moves, worth it only when the
    // product has enough rows to amortise them (token-by-token steps have one per sequence).
    if (!kernel || (b.stride(1) != 1 && M < kMinRowsToCopyB)) {
        return at::mm(a, b);
    }
    const torch::Tensor rows = b.stride(1) == 1 ? b : b.contiguous();
    torch::Tensor c = torch::empty({M, N}, a.options());
    SmallGemmArgs g;
    g.M = M, g.N = N, g.K = K;
    g.a = a.data_ptr<float>(), g.a_row = a.stride(0), g.a_col = a.stride(1);
    g.b = rows.data_ptr<float>(), g.ldb = rows.stride(0);
    g.c = c.data_ptr<float>(), g.ldc = N;
    small_gemm_cpu(g);
    return c;
}

}  // namespace statetrack::kernels
