// 64-bit indexing, on a GPU with ≥ 40 GB: offsets past 2^31 elements in the (B,T,H,N) arrays
// (forward, H = 512 heads of T = 32800, N = 128: 2.15e9 elements per array, bf16) and in the
// checkpoints (forward + backward, H = 64: 2.15e9 checkpoint floats). Every head gets the same
// inputs (copied on the device), so every head must reproduce a single-head run bit for bit; a
// wrapped 32-bit offset would put the last heads' reads and writes elsewhere. Opt-in, as it
// needs that much memory and ~a minute:
//   statetrack_cuda_tests --gtest_also_run_disabled_tests --gtest_filter='*Huge*'
#include <cuda_runtime_api.h>
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "tests/cuda/wkv7_cuda_device.h"
#include "tests/cuda/wkv7_cuda_runners.h"

namespace statetrack::kernels::cuda_testing {
namespace {

constexpr int64_t kT = 32800, kN = 128;

// H copies of a one-head (1, T, 1, N) array side by side: (1, T, H, N).
template <typename T>
DeviceBuffer<T> replicated(const std::vector<T>& one_head, int64_t H) {
    const DeviceBuffer<T> single = uploaded(one_head);
    DeviceBuffer<T> out(one_head.size() * H);
    for (int64_t h = 0; h < H; ++h) {
        cuda_check(cudaMemcpy2D(out.get() + h * kN, H * kN * sizeof(T), single.get(),
                                kN * sizeof(T), kN * sizeof(T), kT, cudaMemcpyDeviceToDevice),
                   "cudaMemcpy2D");
    }
    return out;
}

// Head h of a (1, T, H, N) device array.
template <typename T>
std::vector<T> head_of(const DeviceBuffer<T>& x, int64_t H, int64_t h) {
    std::vector<T> out(kT * kN);
    cuda_check(cudaMemcpy2D(out.data(), kN * sizeof(T), x.get() + h * kN, H * kN * sizeof(T),
                            kN * sizeof(T), kT, cudaMemcpyDeviceToHost),
               "cudaMemcpy2D");
    return out;
}

template <typename T>
bool same_bits(const std::vector<T>& a, const T* b, size_t count) {
    return a.size() == count && std::memcmp(a.data(), b, count * sizeof(T)) == 0;
}

class Wkv7CudaDeviceHuge : public CudaDeviceTest {};

TEST_F(Wkv7CudaDeviceHuge, DISABLED_OffsetsBeyond32BitsMatchOneHead) {
    const Problem one = make_problem({1, kT, 1, kN}, IoType::kBf16, 64);
    const Outputs ref = run_device<Wkv7Bf16>(one);
    const KernelArrays<Wkv7Bf16> host(one);
    for (const int64_t H : {int64_t{512}, int64_t{64}}) {
        SCOPED_TRACE("H = " + std::to_string(H));
        const bool backward = H == 64;  // its checkpoints pass 2^31 floats; H = 512's tokens do
        const DeviceBuffer<Wkv7Bf16> r = replicated(host.r, H), w = replicated(host.w, H),
                                     k = replicated(host.k, H), v = replicated(host.v, H),
                                     a = replicated(host.a, H), b = replicated(host.b, H);
        DeviceBuffer<Wkv7Bf16> y(kT * H * kN);
        DeviceBuffer<float> state_final(H * kN * kN), state0(H * kN * kN);
        DeviceBuffer<float> checkpoints(backward ? H * wkv7_num_chunks(kT) * kN * kN : 0);
        for (int64_t h = 0; h < H; ++h) {
            state0.upload_at(host.state0, h * kN * kN);
        }
        Wkv7BackwardParams<Wkv7Bf16, float> p;
        p.B = 1, p.T = kT, p.H = H, p.N = kN;
        p.r = r.get(), p.w = w.get(), p.k = k.get(), p.v = v.get(), p.a = a.get(), p.b = b.get();
        p.state0 = state0.get(), p.y = y.get(), p.state_final = state_final.get();
        p.checkpoints = checkpoints.get();
        wkv7_forward_cuda(p, nullptr);
        cuda_check(cudaDeviceSynchronize(), "wkv7_forward_cuda");
        const std::vector<float> finals = state_final.download();
        for (int64_t h : {int64_t{0}, H - 1}) {
            EXPECT_TRUE(same_bits(convert<Wkv7Bf16>(ref.y), head_of(y, H, h).data(), kT * kN))
                << "y of head " << h;
            EXPECT_TRUE(
                same_bits(convert<float>(ref.state_final), finals.data() + h * kN * kN, kN * kN))
                << "state_final of head " << h;
        }
        expect_guarded(y, "y", false);
        if (!backward) {
            continue;
        }
        const DeviceBuffer<Wkv7Bf16> dy = replicated(host.dy, H);
        DeviceBuffer<float> dstate_final(H * kN * kN), dstate0(H * kN * kN);
        for (int64_t h = 0; h < H; ++h) {
            dstate_final.upload_at(host.dstate_final, h * kN * kN);
        }
        DeviceBuffer<float> workspace(wkv7_backward_cuda_workspace_size(1, H, kN));
        std::vector<DeviceBuffer<Wkv7Bf16>> grads;
        for (int g = 0; g < 6; ++g) {
            grads.emplace_back(kT * H * kN);
        }
        p.dy = dy.get(), p.dstate_final = dstate_final.get(), p.dstate0 = dstate0.get();
        p.dr = grads[0].get(), p.dw = grads[1].get(), p.dk = grads[2].get();
        p.dv = grads[3].get(), p.da = grads[4].get(), p.db = grads[5].get();
        wkv7_backward_cuda(p, workspace.get(), nullptr);
        cuda_check(cudaDeviceSynchronize(), "wkv7_backward_cuda");
        const std::vector<double>* ref_grads[] = {&ref.dr, &ref.dw, &ref.dk,
                                                  &ref.dv, &ref.da, &ref.db};
        const std::vector<float> d0 = dstate0.download();
        for (int g = 0; g < 6; ++g) {
            EXPECT_TRUE(same_bits(convert<Wkv7Bf16>(*ref_grads[g]),
                                  head_of(grads[g], H, H - 1).data(), kT * kN))
                << "gradient " << g << " (dr, dw, dk, dv, da, db) of the last head";
        }
        EXPECT_TRUE(same_bits(convert<float>(ref.dstate0), d0.data() + (H - 1) * kN * kN, kN * kN))
            << "dstate0 of the last head";
        const int64_t block = wkv7_num_chunks(kT) * kN * kN;  // one head's checkpoints
        const std::vector<float> last = checkpoints.download_range((H - 1) * block, block);
        EXPECT_TRUE(same_bits(convert<float>(ref.checkpoints), last.data(), block))
            << "checkpoints of the last head (they start past 2^31 floats)";
        expect_guarded(checkpoints, "checkpoints", false);
    }
}

}  // namespace
}  // namespace statetrack::kernels::cuda_testing
