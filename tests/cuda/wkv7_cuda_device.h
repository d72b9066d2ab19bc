// Device side of the CUDA WKV7 suite: guarded device buffers (cudaMalloc), the runner of the
// real kernels (run_device), and the fixture that skips, loudly, where there is no GPU.
//
// Every DeviceBuffer has a guard band of sentinel bytes before and after its elements; every
// run checks after the kernels that the bands are intact (an output written out of its bounds,
// or an input written at all, fails the run), and that no output element kept the sentinel
// (an output element the kernels never wrote).
#pragma once

#include <cuda_runtime_api.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "kernels/cuda/wkv7_cuda.h"
#include "tests/cuda/wkv7_cuda_runners.h"

namespace statetrack::kernels::cuda_testing {

inline void cuda_check(cudaError_t err, const char* what) {
    if (err != cudaSuccess) {
        throw std::runtime_error(std::string(what) + ": " + cudaGetErrorString(err));
    }
}

// Skips every test of a fixture deriving from it when no CUDA device can run the kernels.
class CudaDeviceTest : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string why;
        if (!wkv7_cuda_device_available(&why)) {
            GTEST_SKIP() << "no CUDA device: " << why << " (the CUDA kernels are untested here)";
        }
    }
};
template <typename Param>
class CudaDeviceTestWithParam : public CudaDeviceTest,
                                public ::testing::WithParamInterface<Param> {};

template <typename T>
class DeviceBuffer {
  public:
    // 4096-byte bands keep the elements 16-byte aligned, as the kernels require.
    explicit DeviceBuffer(size_t count, size_t guard_bytes = 4096)
        : count_(count), guard_(guard_bytes) {
        cuda_check(cudaMalloc(&base_, total_bytes()), "cudaMalloc");
        cuda_check(cudaMemset(base_, kSentinelByte, total_bytes()), "cudaMemset");
    }
    explicit DeviceBuffer(const std::vector<T>& host) : DeviceBuffer(host.size()) { upload(host); }
    DeviceBuffer(DeviceBuffer&& other) noexcept
        : count_(other.count_), guard_(other.guard_), base_(other.base_) {
        other.base_ = nullptr;
    }
    DeviceBuffer(const DeviceBuffer&) = delete;
    DeviceBuffer& operator=(const DeviceBuffer&) = delete;
    ~DeviceBuffer() { cudaFree(base_); }

    T* get() const { return count_ == 0 ? nullptr : reinterpret_cast<T*>(bytes() + guard_); }
    size_t size() const { return count_; }

    void upload(const std::vector<T>& host) {
        cuda_check(host.size() == count_ ? cudaSuccess : cudaErrorInvalidValue, "upload size");
        if (count_ == 0) {
            return;
        }
        cuda_check(cudaMemcpy(get(), host.data(), count_ * sizeof(T), cudaMemcpyHostToDevice),
                   "cudaMemcpy to device");
    }
    std::vector<T> download() const {
        std::vector<T> host(count_);
        if (count_ == 0) {
            return host;
        }
        cuda_check(cudaMemcpy(host.data(), get(), count_ * sizeof(T), cudaMemcpyDeviceToHost),
                   "cudaMemcpy to host");
        return host;
    }
    // Part of the elements, from `offset` on.
    void upload_at(const std::vector<T>& host, size_t offset) {
        cuda_check(offset + host.size() <= count_ ? cudaSuccess : cudaErrorInvalidValue,
                   "upload_at range");
        cuda_check(cudaMemcpy(get() + offset, host.data(), host.size() * sizeof(T),
                              cudaMemcpyHostToDevice),
                   "cudaMemcpy to device");
    }
    std::vector<T> download_range(size_t offset, size_t count) const {
        cuda_check(offset + count <= count_ ? cudaSuccess : cudaErrorInvalidValue,
                   "download_range range");
        std::vector<T> host(count);
        cuda_check(
            cudaMemcpy(host.data(), get() + offset, count * sizeof(T), cudaMemcpyDeviceToHost),
            "cudaMemcpy to host");
        return host;
    }
    // Empty when both bands still hold only the sentinel, else which byte changed.
    std::string guard_damage() const {
        std::vector<unsigned char> band(guard_);
        const unsigned char* const starts[] = {bytes(), bytes() + guard_ + count_ * sizeof(T)};
        for (int side = 0; side < 2; ++side) {
            cuda_check(cudaMemcpy(band.data(), starts[side], guard_, cudaMemcpyDeviceToHost),
                       "cudaMemcpy to host");
            for (size_t e = 0; e < guard_; ++e) {
                if (band[e] != kSentinelByte) {
                    const int64_t at = side == 0 ? static_cast<int64_t>(e) - int64_t(guard_)
                                                 : static_cast<int64_t>(count_ * sizeof(T) + e);
                    return "byte " + std::to_string(at) + " relative to the first element (" +
                           std::to_string(count_) + " elements of " + std::to_string(sizeof(T)) +
                           " bytes)";
                }
            }
        }
        return {};
    }
    // Elements still equal to the sentinel pattern (never written).
    int64_t unwritten() const { return HostBuffer<T>::count_unwritten(download()); }

  private:
    unsigned char* bytes() const { return static_cast<unsigned char*>(base_); }
    size_t total_bytes() const { return count_ * sizeof(T) + 2 * guard_; }
    size_t count_, guard_;
    void* base_ = nullptr;
};

template <typename T>
DeviceBuffer<T> uploaded(const std::vector<T>& host) {
    DeviceBuffer<T> buffer(host.size());
    buffer.upload(host);
    return buffer;
}

// The real kernels on stream (nullptr: the default stream), synchronised before returning,
// with every buffer's guard bands checked (run_guarded, wkv7_cuda_runners.h).
template <typename IO>
Outputs run_device(const Problem& pr, const RunOptions& options = {},
                   cudaStream_t stream = nullptr) {
    const Shape& s = pr.shape;
    return run_guarded<DeviceBuffer, IO>(
        pr, options, wkv7_backward_cuda_workspace_size(s.B, s.H, s.N),
        [stream](const Wkv7BackwardParams<IO, float>& p) {
            wkv7_forward_cuda(p, stream);
            cuda_check(cudaStreamSynchronize(stream), "wkv7_forward_cuda");
        },
        [stream](const Wkv7BackwardParams<IO, float>& p, float* workspace) {
            wkv7_backward_cuda(p, workspace, stream);
            cuda_check(cudaStreamSynchronize(stream), "wkv7_backward_cuda");
        });
}

}  // namespace statetrack::kernels::cuda_testing
