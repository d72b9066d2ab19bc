// column_sums_cpu: out[c] = Σ_r x[r, c] over a row-major (rows × cols) block, the bias gradient
// of a linear layer (the sum of dy over its rows). LibTorch's dy.sum(0) took ~1.3% of a
// quick-shape Transformer training step; here the rows add into one row of partial sums (vector
// adds, rows in order) that goes into double every kNormFlushRows rows (kernels/norm_rows.h), so
// that thousands of rows do not lose the small terms. Torch-free; the readable reference is the
// double loop, and tests/kernels/column_sums_test.cpp compares with a float64 oracle.
#pragma once

#include <cstdint>

namespace statetrack::kernels {

template <typename T>
void column_sums_cpu(const T* x, int64_t rows, int64_t cols, T* out);

}  // namespace statetrack::kernels
