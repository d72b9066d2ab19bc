// small_gemm_cpu (kernels/small_gemm_cpu.h) against a float64 triple loop, small_mm
// (kernels/small_gemm.h) against at::mm on the layouts the training step uses, and linear
// (kernels/linear.h) against F::linear, value and gradients. The kernel's tests run every
// instruction set the machine has (AVX-512, AVX2) and check that they agree bit for bit; on a CPU
// with neither they skip loudly, and small_mm and linear are checked on their at::mm fallback.
#include "kernels/small_gemm.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <vector>

#include "kernels/linear.h"
#include "kernels/small_gemm_cpu.h"
#include "tests/testing/tensor_compare.h"

namespace statetrack::kernels {
namespace {

using statetrack::testing::tensors_close;

// Each element of A·B in float64, and the bound Σ_k |a||b| on its float32 rounding error.
struct Oracle {
    std::vector<double> c, magnitude;
};
Oracle oracle(const SmallGemmArgs& g) {
    Oracle o{std::vector<double>(g.M * g.N), std::vector<double>(g.M * g.N)};
    for (int64_t i = 0; i < g.M; ++i) {
        for (int64_t n = 0; n < g.N; ++n) {
            for (int64_t k = 0; k < g.K; ++k) {
                const double p = static_cast<double>(g.a[i * g.a_row + k * g.a_col]) *
                                 static_cast<double>(g.b[k * g.ldb + n]);
                o.c[i * g.N + n] += p;
                o.magnitude[i * g.N + n] += std::fabs(p);
            }
        }
    }
    return o;
}

// The instruction sets the kernel runs with on this machine.
std::vector<Wkv7CpuIsa> kernel_isas() {
    std::vector<Wkv7CpuIsa> isas;
    for (Wkv7CpuIsa isa : {Wkv7CpuIsa::kAvx512, Wkv7CpuIsa::kAvx2}) {
        if (small_gemm_cpu_available(16, isa)) {
            isas.push_back(isa);
        }
    }
    return isas;
}

#define SKIP_WITHOUT_KERNEL()                                                                 \
    if (kernel_isas().empty()) {                                                              \
        GTEST_SKIP() << "small_gemm_cpu needs AVX2+FMA or AVX-512 (and a GCC x86-64 build): " \
                        "not tested on this machine";                                         \
    }

// C = A·B by the kernel with one instruction set; A (M,K) row-major or, transposed, read from
// a (K,M) buffer; B with ldb = N + 3 and C with ldc = N + 5, columns past N left at 7.
struct Product {
    torch::Tensor a, b, c;
    SmallGemmArgs g;
};
Product run_kernel(int64_t M, int64_t N, int64_t K, bool transposed, Wkv7CpuIsa isa) {
    Product p{torch::randn({M * K}), torch::randn({K, N + 3}), torch::full({M, N + 5}, 7.0f), {}};
    SmallGemmArgs& g = p.g;
    g.M = M, g.N = N, g.K = K;
    g.a = p.a.data_ptr<float>();
    g.a_row = transposed ? 1 : K, g.a_col = transposed ? M : 1;
    g.b = p.b.data_ptr<float>(), g.ldb = N + 3;
    g.c = p.c.data_ptr<float>(), g.ldc = N + 5;
    small_gemm_cpu(g, isa);
    return p;
}

TEST(SmallGemmCpu, MatchesAFloat64OracleOnEveryTileShape) {
    SKIP_WITHOUT_KERNEL();
    // N: every panel combination of both widths (AVX-512: 64-column panels, then 32 and 16;
    // AVX2: 16-column panels, then 8); M: multiples of the tiles, tails of every length, one row;
    // K: 1, short, long. A both row-major and transposed.
    for (Wkv7CpuIsa isa : kernel_isas()) {
        torch::manual_seed(7);
        for (int64_t N : {64, 112, 32, 16, 256, 8, 24, 40}) {
            if (!small_gemm_cpu_available(N, isa)) {
                continue;
            }
            for (int64_t M : {1, 5, 6, 11, 12, 47, 48, 97, 656}) {
                for (int64_t K : {1, 7, 64, 300}) {
                    for (bool transposed : {false, true}) {
                        SCOPED_TRACE(::testing::Message()
                                     << wkv7_cpu_isa_name(isa) << " M " << M << " N " << N << " K "
                                     << K << (transposed ? " Aᵀ" : " A"));
                        const Product p = run_kernel(M, N, K, transposed, isa);
                        const Oracle o = oracle(p.g);
                        const auto got_c = p.c.accessor<float, 2>();
                        int64_t bad = 0;
                        for (int64_t i = 0; i < M; ++i) {
                            for (int64_t n = 0; n < N; ++n) {
                                const double got = got_c[i][n];
                                // K roundings of at most 2^-24 relative each, on partial sums
                                // bounded by the magnitude.
                                const double bound = 1e-30 + K * 6e-8 * o.magnitude[i * N + n];
                                bad += std::fabs(got - o.c[i * N + n]) > bound;
                            }
                        }
                        EXPECT_EQ(bad, 0);
                        // Columns past N are not written.
                        EXPECT_TRUE(torch::equal(p.c.slice(1, N), torch::full({M, 5}, 7.0f)));
                    }
                }
            }
        }
    }
}

TEST(SmallGemmCpu, EpiloguesActOnTheSumAsItIsStored) {
    SKIP_WITHOUT_KERNEL();
    // The contract: the same float as the product followed by a bias add (bias) or by an
    // elementwise multiply (multiplier, read ldc apart), on every panel width and tile tail;
    // columns past N not written.
    for (Wkv7CpuIsa isa : kernel_isas()) {
        for (int64_t N : {112, 16, 40}) {
            for (bool multiply : {false, true}) {
                if (!small_gemm_cpu_available(N, isa)) {
                    continue;
                }
                SCOPED_TRACE(::testing::Message() << wkv7_cpu_isa_name(isa) << " N " << N
                                                  << (multiply ? " multiplier" : " bias"));
                torch::manual_seed(11);
                Product p = run_kernel(47, N, 64, multiply, isa);
                const torch::Tensor bias = torch::randn({N}), m = torch::randn({47, N + 5});
                const torch::Tensor product = p.c.slice(1, 0, N).clone();
                if (multiply) {
                    p.g.multiplier = m.data_ptr<float>();
                } else {
                    p.g.bias = bias.data_ptr<float>();
                }
                small_gemm_cpu(p.g, isa);
                EXPECT_TRUE(torch::equal(p.c.slice(1, 0, N),
                                         multiply ? product * m.slice(1, 0, N) : product + bias));
                EXPECT_TRUE(torch::equal(p.c.slice(1, N), torch::full({47, 5}, 7.0f)));
            }
        }
    }
}

TEST(SmallMm, TimesEqualsTheProductThenAMultiply) {
    torch::manual_seed(14);
    const torch::Tensor dy = torch::randn({97, 64}), w = torch::randn({64, 256});
    const torch::Tensor m = torch::randn({97, 256});
    EXPECT_TRUE(torch::equal(small_mm_times(dy, w, m), small_mm(dy, w) * m));
    // The fallback (N not a multiple of 8: at::mm), and a transposed b with few rows.
    const torch::Tensor w10 = w.slice(1, 0, 10).contiguous(), m10 = m.slice(1, 0, 10).contiguous();
    EXPECT_TRUE(torch::equal(small_mm_times(dy, w10, m10), at::mm(dy, w10) * m10));
    const torch::Tensor wt = torch::randn({256, 64}).t();
    EXPECT_TRUE(torch::equal(small_mm_times(dy.slice(0, 0, 5), wt, m.slice(0, 0, 5)),
                             at::mm(dy.slice(0, 0, 5), wt) * m.slice(0, 0, 5)));
    EXPECT_TRUE(tensors_close(at::mm(dy, w) * m, small_mm_times(dy, w, m), 1e-12));
    EXPECT_THROW(small_mm_times(dy, w, m.t()), c10::Error);  // not (97, 256) contiguous
    EXPECT_THROW(small_mm_times(dy, w, m.slice(0, 0, 96)), c10::Error);
    EXPECT_THROW(small_mm_times(dy.to(torch::kFloat64), w.to(torch::kFloat64), m), c10::Error);
}

TEST(SmallGemmCpu, InstructionSetsAgreeBitForBit) {
    // Every element is the same chain of fused multiply-adds at any vector width.
    const std::vector<Wkv7CpuIsa> isas = kernel_isas();
    if (isas.size() < 2) {
        GTEST_SKIP() << "needs both AVX-512 and AVX2 kernels; this machine runs " << isas.size()
                     << " of them";
    }
    for (int64_t N : {16, 48, 64, 112, 256}) {
        for (bool transposed : {false, true}) {
            torch::manual_seed(12);
            const Product wide = run_kernel(97, N, 300, transposed, isas[0]);
            torch::manual_seed(12);
            const Product narrow = run_kernel(97, N, 300, transposed, isas[1]);
            EXPECT_TRUE(torch::equal(wide.c, narrow.c))
                << "N " << N << " transposed " << transposed;
        }
    }
}

TEST(SmallGemmCpu, DoesNotDependOnTheRowsAroundAnElement) {
    SKIP_WITHOUT_KERNEL();
    // Each element is the same sequential sum whatever tile (or thread) computes it: the rows
    // of a product equal the product of those rows alone.
    torch::manual_seed(8);
    const torch::Tensor a = torch::randn({97, 64}), b = torch::randn({64, 112});
    const torch::Tensor whole = small_mm(a, b);
    for (int64_t i : {0, 5, 6, 50, 96}) {
        EXPECT_TRUE(torch::equal(small_mm(a.slice(0, i, i + 1), b), whole.slice(0, i, i + 1)));
    }
}

TEST(SmallMm, MatchesAtMmOnTheTrainingStepLayouts) {
    torch::manual_seed(9);
    const torch::Tensor x = torch::randn({656, 64}), w = torch::randn({256, 64});
    const torch::Tensor dy = torch::randn({656, 256});
    // x·wᵀ (b transposed: copied), dy·w, dyᵀ·x (a transposed: read in place).
    EXPECT_TRUE(tensors_close(at::mm(x, w.t()), small_mm(x, w.t()), 1e-12)) << "x wᵀ";
    EXPECT_TRUE(tensors_close(at::mm(dy, w), small_mm(dy, w), 1e-12)) << "dy w";
    EXPECT_TRUE(tensors_close(at::mm(dy.t(), x), small_mm(dy.t(), x), 1e-12)) << "dyᵀ x";
    // Where the kernel does not apply, at::mm itself: float64, N not a multiple of 8, and a
    // transposed b with fewer than 32 rows (a step's product: the copy would not pay).
    EXPECT_TRUE(torch::equal(small_mm(x.slice(0, 0, 5), w.t()), at::mm(x.slice(0, 0, 5), w.t())));
    const torch::Tensor xd = x.to(torch::kFloat64), wd = w.to(torch::kFloat64);
    EXPECT_TRUE(torch::equal(small_mm(xd, wd.t()), at::mm(xd, wd.t())));
    EXPECT_TRUE(torch::equal(small_mm(x, w.t().slice(1, 0, 10)), at::mm(x, w.t().slice(1, 0, 10))));
    EXPECT_THROW(small_mm(x, w), c10::Error);  // (656,64)·(256,64)
}

// A transposed b is copied by transpose_cpu: with ragged 16-blocks on both sides and its rows
// further apart than its length (a slice of a wider weight), the product is the kernel's on
// LibTorch's contiguous copy, bit for bit.
TEST(SmallMm, ATransposedBIsCopiedExactly) {
    torch::manual_seed(10);
    const torch::Tensor x = torch::randn({40, 70});
    const torch::Tensor w = torch::randn({48, 75}).slice(1, 0, 70);  // (48,70), rows 75 apart
    EXPECT_TRUE(torch::equal(small_mm(x, w.t()), small_mm(x, w.t().contiguous())));
    EXPECT_TRUE(tensors_close(at::mm(x, w.t()), small_mm(x, w.t()), 1e-12));
}

struct LinearResult {
    torch::Tensor y, dx, dw, db;
};

// y = f(x, w, b) and the gradients of Σ y·g; b undefined for no bias.
template <typename F>
LinearResult run_linear(F f, const torch::Tensor& x0, const torch::Tensor& w0,
                        const torch::Tensor& b0, const torch::Tensor& g) {
    const auto leaf = [](const torch::Tensor& t) {
        return t.defined() ? t.detach().clone().requires_grad_(true) : t;
    };
    const torch::Tensor x = leaf(x0), w = leaf(w0), b = leaf(b0);
    const torch::Tensor y = f(x, w, b);
    y.backward(g);
    return {y.detach(), x.grad(), w.grad(), b.defined() ? b.grad() : b};
}

TEST(Linear, MatchesFLinearValueAndGradients) {
    for (auto dtype : {torch::kFloat32, torch::kFloat64}) {
        for (bool bias : {false, true}) {
            SCOPED_TRACE(::testing::Message() << c10::toString(dtype) << " bias " << bias);
            torch::manual_seed(10);
            // 3D and 2D inputs: F::linear adds the bias first on 2D ones (addmm).
            for (const std::vector<int64_t>& batch : {std::vector<int64_t>{8, 41}, {97}}) {
                std::vector<int64_t> in = batch, out = batch;
                in.push_back(64);
                out.push_back(192);
                const torch::Tensor x = torch::randn(in, dtype), w = torch::randn({192, 64}, dtype);
                const torch::Tensor b = bias ? torch::randn({192}, dtype) : torch::Tensor();
                const torch::Tensor g = torch::randn(out, dtype);
                const LinearResult ref = run_linear(
                    [](const torch::Tensor& x1, const torch::Tensor& w1, const torch::Tensor& b1) {
                        return torch::nn::functional::linear(x1, w1, b1);
                    },
                    x, w, b, g);
                const LinearResult got =
                    run_linear([](const torch::Tensor& x1, const torch::Tensor& w1,
                                  const torch::Tensor& b1) { return kernels::linear(x1, w1, b1); },
                               x, w, b, g);
                const double tol = dtype == torch::kFloat32 ? 1e-12 : 1e-28;
                EXPECT_TRUE(tensors_close(ref.y, got.y, tol)) << "y";
                EXPECT_TRUE(tensors_close(ref.dx, got.dx, tol)) << "dx";
                EXPECT_TRUE(tensors_close(ref.dw, got.dw, tol)) << "dw";
                if (bias) {
                    EXPECT_TRUE(tensors_close(ref.db, got.db, tol)) << "db";
                }
            }
        }
    }
}

TEST(Linear, GradientOfAFrozenWeightOrInputIsNotComputed) {
    torch::manual_seed(11);
    const torch::Tensor w = torch::randn({32, 16});
    const torch::Tensor x = torch::randn({5, 16}).requires_grad_(true);
    kernels::linear(x, w).sum().backward();
    EXPECT_TRUE(x.grad().defined());
    const torch::Tensor w2 = torch::randn({32, 16}).requires_grad_(true);
    kernels::linear(torch::randn({5, 16}), w2).sum().backward();
    EXPECT_TRUE(w2.grad().defined());
    EXPECT_THROW(kernels::linear(torch::randn({5, 15}), w2), c10::Error);
    EXPECT_THROW(kernels::linear(torch::randn({5, 16}), w2, torch::randn({16})), c10::Error);
}

TEST(Linear, DoubleBackwardIsAClearError) {
    const torch::Tensor x = torch::randn({4, 16}).requires_grad_(true);
    const torch::Tensor w = torch::randn({16, 16}).requires_grad_(true);
    const torch::Tensor y = kernels::linear(x, w).square().sum();
    try {
        torch::autograd::grad({y}, {x}, {}, /*retain_graph=*/true, /*create_graph=*/true);
        FAIL() << "create_graph through linear did not throw";
    } catch (const c10::Error& e) {
        EXPECT_NE(std::string(e.what()).find("double backward"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace statetrack::kernels
