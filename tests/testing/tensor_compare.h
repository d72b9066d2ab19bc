// Tensor comparison helpers for GoogleTest, shared by the torch test suites. The metrics
// (nmse, err_ratio; tensor_metrics.h) are computed in float64 on CPU, whatever the inputs'
// dtype and device.
// tensors_close(ref, got, max_nmse) passes when the shapes match, got is finite and
// nmse <= max_nmse; its failure message shows the shape, NMSE, max-abs difference and the worst
// element's index with both values. Use as EXPECT_TRUE(tensors_close(ref, got, 1e-10)) << "dw".
#pragma once

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <limits>
#include <vector>

#include "tests/testing/tensor_metrics.h"

namespace statetrack::testing {

// Row-major multi-index of flat position `flat` in a tensor of `sizes`.
inline std::vector<int64_t> unravel_index(int64_t flat, c10::IntArrayRef sizes) {
    std::vector<int64_t> index(sizes.size());
    for (int64_t d = static_cast<int64_t>(sizes.size()) - 1; d >= 0; --d) {
        index[d] = flat % sizes[d];
        flat /= sizes[d];
    }
    return index;
}

inline ::testing::AssertionResult tensors_close(const torch::Tensor& ref, const torch::Tensor& got,
                                                double max_nmse) {
    if (!ref.defined() || !got.defined()) {
        return ::testing::AssertionFailure() << "undefined tensor (ref defined: " << ref.defined()
                                             << ", got defined: " << got.defined() << ")";
    }
    if (ref.sizes() != got.sizes()) {
        return ::testing::AssertionFailure()
               << fmt::format("shape mismatch: ref {} vs got {}", fmt::join(ref.sizes(), "x"),
                              fmt::join(got.sizes(), "x"));
    }
    const torch::Tensor r = as_double(ref), g = as_double(got);
    const bool finite = torch::isfinite(g).all().item<bool>();
    const double error = nmse(r, g);
    if (finite && error <= max_nmse) {
        return ::testing::AssertionSuccess();
    }
    if (r.numel() == 0) {
        return ::testing::AssertionFailure() << "empty tensors differ";
    }
    // NaN differences sort as the worst element.
    const torch::Tensor diff =
        torch::nan_to_num((r - g).abs(), std::numeric_limits<double>::infinity());
    const int64_t worst = diff.flatten().argmax().item<int64_t>();
    return ::testing::AssertionFailure() << fmt::format(
               "shape {}: nmse {:.3e} (max {:.1e}){}, max |diff| {:.3e} at [{}]: ref {:.9g}, got "
               "{:.9g}",
               fmt::join(r.sizes(), "x"), error, max_nmse,
               finite ? "" : ", got has non-finite values", diff.flatten()[worst].item<double>(),
               fmt::join(unravel_index(worst, r.sizes()), ", "), r.flatten()[worst].item<double>(),
               g.flatten()[worst].item<double>());
}

}  // namespace statetrack::testing
