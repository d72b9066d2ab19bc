// clear_gradients, gradient_norm, scale_gradients (see parameter_gradients.h).
#include "model/parameter_gradients.h"

#include <cmath>

namespace statetrack::model {
namespace {

// A gradient the raw loops may read and write in place.
bool raw_loop_gradient(const torch::Tensor& g) {
    return g.device().is_cpu() && g.layout() == torch::kStrided && g.is_contiguous() &&
           (g.scalar_type() == torch::kFloat32 || g.scalar_type() == torch::kFloat64);
}

// Eight running sums, not one: a single chain waits on each addition's latency (it was 1% of
// a quick-experiment run). A fixed order, so the same gradients give the same bits.
template <typename T>
double sum_of_squares(const T* x, int64_t n) {
    constexpr int64_t kLanes = 8;
    double lanes[kLanes] = {};
    int64_t i = 0;
    for (; i + kLanes <= n; i += kLanes) {
        for (int64_t l = 0; l < kLanes; ++l) {
            const double v = x[i + l];
            lanes[l] += v * v;
        }
    }
    for (; i < n; ++i) {
        const double v = x[i];
        lanes[0] += v * v;
    }
    double sum = 0.0;
    for (double lane : lanes) {
        sum += lane;
    }
    return sum;
}

}  // namespace

void clear_gradients(const std::vector<torch::Tensor>& params) {
    for (const torch::Tensor& p : params) {
        p.mutable_grad().reset();
    }
}

double gradient_norm(const std::vector<torch::Tensor>& params) {
    double raw_squares = 0.0;
    std::vector<torch::Tensor> other_norms;  // computed where the gradient lives, read once
    for (const torch::Tensor& p : params) {
        const torch::Tensor& g = p.grad();
        if (!g.defined()) {
            continue;
        }
        if (!raw_loop_gradient(g)) {
            other_norms.push_back(g.detach().norm(2).to(torch::kFloat64));
        } else if (g.scalar_type() == torch::kFloat32) {
            raw_squares += sum_of_squares(g.data_ptr<float>(), g.numel());
        } else {
            raw_squares += sum_of_squares(g.data_ptr<double>(), g.numel());
        }
    }
    double other = 0.0;
    if (!other_norms.empty()) {
        other = torch::stack(other_norms).norm(2).item<double>();
    }
    return std::sqrt(raw_squares + other * other);
}

void scale_gradients(const std::vector<torch::Tensor>& params, double factor) {
    torch::NoGradGuard no_grad;
    for (const torch::Tensor& p : params) {
        torch::Tensor g = p.grad();
        if (!g.defined()) {
            continue;
        }
        if (!raw_loop_gradient(g)) {
            g.mul_(factor);
        } else if (g.scalar_type() == torch::kFloat32) {
            const float f = static_cast<float>(factor);
            float* x = g.data_ptr<float>();
            for (int64_t i = 0, n = g.numel(); i < n; ++i) {
                x[i] *= f;
            }
        } else {
            double* x = g.data_ptr<double>();
            for (int64_t i = 0, n = g.numel(); i < n; ++i) {
                x[i] *= factor;
            }
        }
    }
}

}  // namespace statetrack::model
