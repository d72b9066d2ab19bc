// The training loss's loops, raw over a row-major (R, V) block of logits (torch-free;
// kernels/cross_entropy.h is the differentiable op over them). Only the first `classes` columns
// of a row are the classes (the vocabulary's other outputs take no part); a row whose target is
// −1 is not scored. For a scored row r with target y (0 ≤ y < classes):
//   p[r, j] = softmax(logits[r, :classes])_j,  loss_r = log Σ_j e^{logits[r,j]} − logits[r, y]
// computed with the row's maximum subtracted. The forward writes p (R, classes) for scored rows
// (unscored rows are left as they are) and returns Σ loss_r (in double) and the number of scored
// rows; the backward writes all of dlogits (R, V): scale·(p[r, j] − [j = y]) in a scored row's
// class columns, 0 everywhere else. Defined for float and double.
#pragma once

#include <cstdint>

namespace statetrack::kernels {

struct CrossEntropyShape {
    int64_t rows = 0, vocab = 0, classes = 0;
};

struct CrossEntropySums {
    double loss = 0.0;
    int64_t scored = 0;
    int64_t bad_row = -1;  // the first row whose target is < −1 or ≥ classes (then nothing else is
                           // valid)
};

template <typename S>
CrossEntropySums cross_entropy_forward_cpu(const CrossEntropyShape& s, const S* logits,
                                           const int64_t* targets, S* probs);

template <typename S>
void cross_entropy_backward_cpu(const CrossEntropyShape& s, const S* probs, const int64_t* targets,
                                S scale, S* dlogits);

}  // namespace statetrack::kernels
