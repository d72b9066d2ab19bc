// The CUDA WKV7 programs (wkv7_cuda_forward.h, wkv7_cuda_backward.h) run on the CPU, one block
// after another, for tests on machines without a GPU. HostBlock runs each phase for every
// thread in turn (in ascending or descending thread order) before the next phase starts, which
// is what the barrier ending each phase guarantees on the device. A program that let one thread
// read, within a phase, what another thread writes in that phase would give different results
// in the two orders; the tests run both.
//
// This checks the programs' arithmetic, indexing, tail handling and phase structure. It does
// not check what only a GPU shows: launch configuration, register allocation, real memory.
// Pointers here are host memory; params and workspace as for wkv7_forward_cuda /
// wkv7_backward_cuda (wkv7_cuda.h). Host-only header (no nvcc needed).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "kernels/cuda/wkv7_cuda_backward.h"
#include "kernels/cuda/wkv7_cuda_forward.h"

namespace statetrack::kernels::wkv7_cuda {

enum class ThreadOrder { kAscending, kDescending };

struct HostBlock {
    int threads;
    ThreadOrder order;

    template <typename T>
    struct PerThread {
        explicit PerThread(const HostBlock& block) : values(block.threads) {}
        T& operator[](int i) { return values[i]; }
        std::vector<T> values;
    };

    template <typename F>
    void phase(F&& f) {
        for (int n = 0; n < threads; ++n) {
            f(order == ThreadOrder::kAscending ? n : threads - 1 - n);
        }
    }
};

template <int N, typename IO>
void emulate_forward_n(const Wkv7ForwardParams<IO, float>& p, ThreadOrder order) {
    for (int64_t bh = 0; bh < p.B * p.H; ++bh) {
        HostBlock block{N, order};
        ForwardShared<N> sh{};
        forward_program<N, IO>(block, p, bh, sh);
    }
}

template <int N, typename IO>
void emulate_backward_n(const Wkv7BackwardParams<IO, float>& p, float* workspace,
                        ThreadOrder order) {
    for (int64_t bh = 0; bh < p.B * p.H; ++bh) {
        HostBlock block{N, order};
        BackwardShared<N> sh{};
        backward_program<N, IO>(block, p, bh, workspace, sh);
    }
}

template <typename IO>
void wkv7_forward_emulated(const Wkv7ForwardParams<IO, float>& p, ThreadOrder order) {
    switch (p.N) {
        case 16:
            return emulate_forward_n<16, IO>(p, order);
        case 32:
            return emulate_forward_n<32, IO>(p, order);
        case 64:
            return emulate_forward_n<64, IO>(p, order);
        case 128:
            return emulate_forward_n<128, IO>(p, order);
        default:
            throw std::invalid_argument("wkv7_forward_emulated: N = " + std::to_string(p.N));
    }
}

template <typename IO>
void wkv7_backward_emulated(const Wkv7BackwardParams<IO, float>& p, float* workspace,
                            ThreadOrder order) {
    switch (p.N) {
        case 16:
            return emulate_backward_n<16, IO>(p, workspace, order);
        case 32:
            return emulate_backward_n<32, IO>(p, workspace, order);
        case 64:
            return emulate_backward_n<64, IO>(p, workspace, order);
        case 128:
            return emulate_backward_n<128, IO>(p, workspace, order);
        default:
            throw std::invalid_argument("wkv7_backward_emulated: N = " + std::to_string(p.N));
    }
}

}  // namespace statetrack::kernels::wkv7_cuda
