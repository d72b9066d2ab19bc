// The CUDA launch API's argument checks (wkv7_cuda.h), which run before anything touches a
// GPU: so these tests run, and must pass, on machines without one.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <stdexcept>
#include <string>

#include "kernels/cuda/wkv7_cuda.h"

namespace statetrack::kernels {
namespace {

// Non-null dummy pointers: the checks never dereference them.
Wkv7BackwardParams<float, float> filled_params(int64_t N) {
    alignas(16) static float dummy[4];
    Wkv7BackwardParams<float, float> p;
    p.B = 1, p.T = 5, p.H = 2, p.N = N;
    for (const float** in : {&p.r, &p.w, &p.k, &p.v, &p.a, &p.b, &p.dy}) {
        *in = dummy;
    }
    for (float** out :
         {&p.y, &p.state_final, &p.checkpoints, &p.dr, &p.dw, &p.dk, &p.dv, &p.da, &p.db}) {
        *out = dummy;
    }
    return p;
}

// The call throws std::invalid_argument whose message contains every one of `words`.
template <typename Fn>
void expect_invalid(Fn&& call, std::initializer_list<const char*> words) {
    try {
        call();
        ADD_FAILURE() << "no exception";
    } catch (const std::invalid_argument& e) {
        for (const char* word : words) {
            EXPECT_NE(std::string(e.what()).find(word), std::string::npos)
                << "message \"" << e.what() << "\" lacks \"" << word << "\"";
        }
    }
}

TEST(Wkv7CudaApi, HeadSizesAndWorkspace) {
    for (int64_t N : {16, 32, 64, 128}) {
        EXPECT_TRUE(wkv7_cuda_supports_head_size(N)) << N;
    }
    for (int64_t N : {0, 8, 48, 96, 256}) {
        EXPECT_FALSE(wkv7_cuda_supports_head_size(N)) << N;
    }
    EXPECT_EQ(wkv7_backward_cuda_workspace_size(2, 3, 64), 2 * 3 * 18 * 64 * 64);
}

// One test for all the checks: each ctest entry is a process that loads LibTorch.
TEST(Wkv7CudaApi, ArgumentChecksNameTheBadField) {
    alignas(16) float workspace[8];
    auto p = filled_params(48);
    expect_invalid([&] { wkv7_forward_cuda(p, nullptr); }, {"wkv7_forward_cuda", "N = 48"});
    expect_invalid([&] { wkv7_backward_cuda(p, workspace, nullptr); },
                   {"wkv7_backward_cuda", "N = 48"});
    p = filled_params(16);
    p.T = 0;
    expect_invalid([&] { wkv7_forward_cuda(p, nullptr); }, {"T = 0", "T >= 1"});
    p.T = 3, p.H = -1;
    expect_invalid([&] { wkv7_forward_cuda(p, nullptr); }, {"H = -1"});
    p = filled_params(32);
    p.k = nullptr;
    expect_invalid([&] { wkv7_forward_cuda(p, nullptr); }, {"k is null"});
    p = filled_params(32);
    p.y = nullptr;
    expect_invalid([&] { wkv7_forward_cuda(p, nullptr); }, {"y is null"});
    p = filled_params(32);
    p.checkpoints = nullptr;
    expect_invalid([&] { wkv7_backward_cuda(p, workspace, nullptr); }, {"checkpoints is null"});
    p = filled_params(32);
    p.db = nullptr;
    expect_invalid([&] { wkv7_backward_cuda(p, workspace, nullptr); }, {"db"});
    p = filled_params(32);
    expect_invalid([&] { wkv7_backward_cuda(p, nullptr, nullptr); }, {"workspace is null"});
    expect_invalid([&] { wkv7_backward_cuda(p, workspace + 1, nullptr); },
                   {"workspace is not 16-byte aligned"});
    Wkv7ForwardParams<Wkv7Bf16, float> q;  // the bf16 overload checks too
    q.B = 1, q.T = 1, q.H = 1, q.N = 64;
    expect_invalid([&] { wkv7_forward_cuda(q, nullptr); }, {"r is null"});
}

TEST(Wkv7CudaApi, DeviceQueryExplainsItself) {
    std::string why;
    const bool available = wkv7_cuda_device_available(&why);
    std::cout << "[ info ] CUDA device available: " << (available ? "yes" : "no, " + why)
              << "; kernels built for sm " << wkv7_cuda_architectures() << "\n";
    EXPECT_TRUE(available || !why.empty());
}

TEST(Wkv7CudaApi, Bf16ConversionRoundsToNearestEven) {
    EXPECT_EQ(wkv7_bf16_from_float(1.0f).bits, 0x3f80);
    EXPECT_EQ(wkv7_bf16_to_float(Wkv7Bf16{0x3f80}), 1.0f);
    // 1 + 2^-8 lies half-way between 1 and 1 + 2^-7: ties go to the even significand (1).
    EXPECT_EQ(wkv7_bf16_from_float(1.0f + 1.0f / 256).bits, 0x3f80);
    EXPECT_EQ(wkv7_bf16_from_float(1.0f + 3.0f / 256).bits, 0x3f82);  // tie, up to even
    EXPECT_EQ(wkv7_bf16_from_float(-2.5f).bits, 0xc020);
    EXPECT_TRUE(std::isnan(wkv7_bf16_to_float(wkv7_bf16_from_float(std::nanf("")))));
}

}  // namespace
}  // namespace statetrack::kernels
