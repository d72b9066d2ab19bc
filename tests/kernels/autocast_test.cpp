// bf16 autocast (kernels/autocast.h): the scope turns autocast on for its device and restores
// the previous state; under it the WKV7 and selective-scan ops accept the mixed dtypes that
// autocast produces and, on the CPU, compute exactly what they compute on float32 inputs of the
// same values, with gradients reaching each leaf in its own dtype.
#include "kernels/autocast.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <functional>
#include <tuple>
#include <vector>

#include "kernels/selective_scan.h"
#include "kernels/wkv7.h"
#include "wkv7_testing.h"

namespace statetrack::kernels {
namespace {

TEST(Autocast, ScopeTurnsBf16OnForItsDeviceAndRestores) {
    const torch::Tensor x = torch::randn({4, 4});
    EXPECT_FALSE(autocast_active(c10::DeviceType::CPU));
    {
        const AutocastScope off(torch::kCPU, false);
        EXPECT_FALSE(autocast_active(c10::DeviceType::CPU));
        EXPECT_EQ(torch::mm(x, x).scalar_type(), torch::kFloat32);
    }
    {
        const AutocastScope on(torch::kCPU, true);
        EXPECT_TRUE(autocast_active(c10::DeviceType::CPU));
        EXPECT_EQ(torch::mm(x, x).scalar_type(), torch::kBFloat16);
        EXPECT_EQ(torch::exp(x).scalar_type(), torch::kFloat32);
        {
            const AutocastScope nested(torch::kCPU, true);
            EXPECT_TRUE(autocast_active(c10::DeviceType::CPU));
        }
        EXPECT_TRUE(autocast_active(c10::DeviceType::CPU));  // the outer scope still holds
    }
    EXPECT_FALSE(autocast_active(c10::DeviceType::CPU));
    EXPECT_EQ(torch::mm(x, x).scalar_type(), torch::kFloat32);
}

// An op of two outputs on a list of inputs.
using Op =
    std::function<std::tuple<torch::Tensor, torch::Tensor>(const std::vector<torch::Tensor>&)>;

// `op` on `mixed` (the dtypes autocast hands over) under a CPU autocast scope must equal `op` on
// float32 copies without it, outputs and gradients, each gradient in its leaf's own dtype.
void expect_float32_compute(const Op& op, std::vector<torch::Tensor> mixed) {
    std::vector<torch::Tensor> same;
    for (torch::Tensor& t : mixed) {
        same.push_back(t.to(torch::kFloat32).detach().requires_grad_(true));
        t = t.detach().requires_grad_(true);
    }
    torch::Tensor y_mixed, s_mixed;
    {
        const AutocastScope autocast(torch::kCPU, true);
        std::tie(y_mixed, s_mixed) = op(mixed);
    }
    const auto [y, s] = op(same);
    EXPECT_EQ(y_mixed.scalar_type(), torch::kFloat32);
    EXPECT_TRUE(torch::equal(y_mixed, y));
    EXPECT_TRUE(torch::equal(s_mixed, s));
    (y_mixed.sum() + s_mixed.sum()).backward();
    (y.sum() + s.sum()).backward();
    for (size_t i = 0; i < mixed.size(); ++i) {
        EXPECT_EQ(mixed[i].grad().scalar_type(), mixed[i].scalar_type()) << i;
        EXPECT_TRUE(torch::equal(mixed[i].grad(), same[i].grad().to(mixed[i].scalar_type()))) << i;
    }
}

TEST(Autocast, Wkv7TakesMixedDtypesAndComputesInFloat32OnTheCpu) {
    const testing::Wkv7Inputs in = testing::make_wkv7_inputs(
        {2, 19, 2, 16, testing::DecayRange::kModel, true}, torch::kFloat32, 5);
    // As autocast hands them over: r and k from linear layers (bf16), the rest float32.
    expect_float32_compute(
        [](const std::vector<torch::Tensor>& x) {
            return wkv7(x[0], x[1], x[2], x[3], x[4], x[5], x[6]);
        },
        {in.r.to(torch::kBFloat16), in.w, in.k.to(torch::kBFloat16), in.v, in.a, in.b, in.state0});
}

TEST(Autocast, SelectiveScanTakesMixedDtypesAndComputesInFloat32) {
    torch::manual_seed(3);
    const int64_t B = 2, T = 21, D = 8, S = 4;
    expect_float32_compute(
        [](const std::vector<torch::Tensor>& x) {
            return selective_scan(x[0], x[1], x[2], x[3], x[4], x[5], {}, true);
        },
        {torch::randn({B, T, D}).to(torch::kBFloat16), torch::softplus(torch::randn({B, T, D})),
         -torch::exp(torch::randn({D, S})), torch::randn({B, T, S}).to(torch::kBFloat16),
         torch::randn({B, T, S}).to(torch::kBFloat16), torch::randn({D})});
}

}  // namespace
}  // namespace statetrack::kernels
