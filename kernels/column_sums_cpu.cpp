// column_sums_cpu (see column_sums_cpu.h), built once per instruction set (core/target_clones.h).
#include "kernels/column_sums_cpu.h"

#include <vector>

#include "core/target_clones.h"
#include "kernels/norm_rows.h"

namespace statetrack::kernels {

template <typename T>
STATETRACK_TARGET_CLONES void column_sums_cpu(const T* x, int64_t rows, int64_t cols, T* out) {
    std::vector<T> block(static_cast<size_t>(cols), T(0));
    std::vector<double> total(block.size(), 0.0);
    T* __restrict sums = block.data();
    for (int64_t r = 0; r < rows; ++r) {
        const T* __restrict row = x + r * cols;
        for (int64_t c = 0; c < cols; ++c) {
            sums[c] += row[c];
        }
        if ((r + 1) % kNormFlushRows == 0) {
            flush_sums(block, total);
        }
    }
    flush_sums(block, total);
    for (int64_t c = 0; c < cols; ++c) {
        out[c] = static_cast<T>(total[static_cast<size_t>(c)]);
    }
}

template void column_sums_cpu<float>(const float*, int64_t, int64_t, float*);
template void column_sums_cpu<double>(const double*, int64_t, int64_t, double*);

}  // namespace statetrack::kernels
