// The training loss's loops (see cross_entropy_cpu.h). The class count is small (2 to a few
// dozen), so a row is a handful of scalars: plain loops, std::exp and std::log.
#include "kernels/cross_entropy_cpu.h"

#include <algorithm>
#include <cmath>

namespace statetrack::kernels {

template <typename S>
CrossEntropySums cross_entropy_forward_cpu(const CrossEntropyShape& s, const S* logits,
                                           const int64_t* targets, S* probs) {
    CrossEntropySums sums;
    const int64_t C = s.classes;
    for (int64_t r = 0; r < s.rows; ++r) {
        const int64_t y = targets[r];
        if (y == -1) {
            continue;
        }
        if (y < 0 || y >= C) {
            sums.bad_row = r;
            return sums;
        }
        const S* x = logits + r * s.vocab;
        S* p = probs + r * C;
        const S top = *std::max_element(x, x + C);
        S total = 0;
        for (int64_t j = 0; j < C; ++j) {
            p[j] = std::exp(x[j] - top);
            total += p[j];
        }
        for (int64_t j = 0; j < C; ++j) {
            p[j] /= total;
        }
        // top − x[y] first: added to a large top, log(total) would round away.
        sums.loss += static_cast<double>(std::log(total) + (top - x[y]));
        ++sums.scored;
    }
    return sums;
}

template <typename S>
void cross_entropy_backward_cpu(const CrossEntropyShape& s, const S* probs, const int64_t* targets,
                                S scale, S* dlogits) {
    const int64_t C = s.classes;
    std::fill(dlogits, dlogits + s.rows * s.vocab, S(0));
    for (int64_t r = 0; r < s.rows; ++r) {
        const int64_t y = targets[r];
        if (y == -1) {
            continue;
        }
        S* d = dlogits + r * s.vocab;
        const S* p = probs + r * C;
        for (int64_t j = 0; j < C; ++j) {
            d[j] = scale * (j == y ? p[j] - S(1) : p[j]);
        }
    }
}

template CrossEntropySums cross_entropy_forward_cpu<float>(const CrossEntropyShape&, const float*,
                                                           const int64_t*, float*);
template CrossEntropySums cross_entropy_forward_cpu<double>(const CrossEntropyShape&, const double*,
                                                            const int64_t*, double*);
template void cross_entropy_backward_cpu<float>(const CrossEntropyShape&, const float*,
                                                const int64_t*, float, float*);
template void cross_entropy_backward_cpu<double>(const CrossEntropyShape&, const double*,
                                                 const int64_t*, double, double*);

}  // namespace statetrack::kernels
