// column_sums_cpu against a float64 oracle: long inputs whose small terms a float running sum
// would lose, the flush boundaries (rows around kNormFlushRows), no rows, and float64 exactness
// on integers.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "kernels/column_sums_cpu.h"
#include "kernels/norm_rows.h"

namespace statetrack::kernels {
namespace {

torch::Tensor sums_of(const torch::Tensor& x) {
    torch::Tensor out = torch::full({x.size(1)}, 7.0, x.options());  // overwritten
    AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "column_sums_test", [&] {
        column_sums_cpu(x.data_ptr<scalar_t>(), x.size(0), x.size(1), out.data_ptr<scalar_t>());
    });
    return out;
}

TEST(ColumnSumsCpu, Float32MatchesAFloat64OracleOverManyRows) {
    torch::manual_seed(3);
    for (const int64_t rows :
         {int64_t{1}, kNormFlushRows - 1, kNormFlushRows, kNormFlushRows + 1, int64_t{20000}}) {
        for (const int64_t cols : {int64_t{1}, int64_t{37}, int64_t{256}}) {
            // One large column offset, so the per-row terms are small against the running sum.
            const torch::Tensor x64 =
                torch::randn({rows, cols}, torch::kFloat64) + 100.0 * torch::ones({1, cols});
            const torch::Tensor x = x64.to(torch::kFloat32);
            const torch::Tensor oracle = x.to(torch::kFloat64).sum(0);
            const double err = (sums_of(x).to(torch::kFloat64) - oracle).abs().max().item<double>();
            // A float running sum of 20000 rows near 100 drifts by ~1e-1 here; the flushed sums
            // stay within a few float ulps of the total (~2e6: ulp 0.125).
            EXPECT_LE(err, 4e-7 * oracle.abs().max().item<double>() + 1e-6)
                << rows << " x " << cols;
        }
    }
}

TEST(ColumnSumsCpu, Float64IsExactOnIntegersAndNoRowsGiveZeros) {
    const torch::Tensor x = torch::arange(3 * 130, torch::kFloat64).reshape({130, 3});
    EXPECT_TRUE(torch::equal(sums_of(x), x.sum(0)));
    EXPECT_TRUE(torch::equal(sums_of(torch::zeros({0, 5})), torch::zeros({5})));
}

}  // namespace
}  // namespace statetrack::kernels
