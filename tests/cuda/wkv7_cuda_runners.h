// Host-side runners of the CUDA WKV7 suite: a Problem (wkv7_cuda_problem.h) converted to the
// kernels' types (KernelArrays), run through the CUDA programs on the CPU (run_emulated,
// wkv7_cuda_emulate.h) or, in builds with torch, through the CPU kernel (run_cpu_kernel,
// float32). Results come back as float64 Outputs. The device runner is in wkv7_cuda_device.h.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include "kernels/cuda/wkv7_cuda_emulate.h"
#include "kernels/wkv7_params.h"
#include "tests/cuda/wkv7_cuda_problem.h"

#if STATETRACK_TEST_CPU_KERNEL
#include "kernels/wkv7_cpu.h"
#endif

namespace statetrack::kernels::cuda_testing {

template <typename IO>
IO to_io(double x) {
    if constexpr (std::is_same_v<IO, float>) {
        return static_cast<float>(x);
    } else {
        return wkv7_bf16_from_float(static_cast<float>(x));
    }
}
template <typename IO>
double from_io(IO x) {
    if constexpr (std::is_same_v<IO, float>) {
        return x;
    } else {
        return wkv7_bf16_to_float(x);
    }
}
// Each element of x through f.
template <typename To, typename From, typename F>
std::vector<To> map_elements(const std::vector<From>& x, F f) {
    std::vector<To> out(x.size());
    std::transform(x.begin(), x.end(), out.begin(), f);
    return out;
}
template <typename T>
std::vector<T> convert(const std::vector<double>& x) {
    return map_elements<T>(x, &to_io<T>);
}
template <typename T>
std::vector<double> to_double(const std::vector<T>& x) {
    return map_elements<double>(x, &from_io<T>);
}

// What a run gives the kernels, and which optional parts it uses.
struct RunOptions {
    bool backward = true;
    bool checkpoints = true;   // false: forward only, without checkpoints (inference)
    bool dstate_final = true;  // false: null dstate_final (zeros)
    bool dstate0 = true;       // false: null dstate0
};

// The problem's inputs in the kernels' element types.
template <typename IO>
struct KernelArrays {
    std::vector<IO> r, w, k, v, a, b, dy;
    std::vector<float> state0, dstate_final;

    explicit KernelArrays(const Problem& p)
        : r(convert<IO>(p.r)),
          w(convert<IO>(p.w)),
          k(convert<IO>(p.k)),
          v(convert<IO>(p.v)),
          a(convert<IO>(p.a)),
          b(convert<IO>(p.b)),
          dy(convert<IO>(p.dy)),
          state0(convert<float>(p.state0)),
          dstate_final(convert<float>(p.dstate_final)) {}
};

template <typename P>
void set_sizes(P& params, const Shape& s) {
    params.B = s.B, params.T = s.T, params.H = s.H, params.N = s.N;
}

// The oracle's view of a run with options: zeros where a null pointer means zeros.
inline Problem as_run(Problem p, const RunOptions& options) {
    if (!options.dstate_final) {
        std::fill(p.dstate_final.begin(), p.dstate_final.end(), 0.0);
    }
    return p;
}

inline constexpr unsigned char kSentinelByte = 0x5a;

// Host memory laid out like DeviceBuffer (wkv7_cuda_device.h): the elements between two guard
// bands of sentinel bytes, elements initially sentinel too, so that the emulated programs'
// out-of-bounds and missing writes are caught as the device's are.
template <typename T>
class HostBuffer {
  public:
    explicit HostBuffer(size_t count, size_t guard_bytes = 4096)
        : count_(count),
          guard_(guard_bytes),
          bytes_(count * sizeof(T) + 2 * guard_bytes, kSentinelByte) {}
    explicit HostBuffer(const std::vector<T>& values) : HostBuffer(values.size()) {
        if (!values.empty()) {
            std::memcpy(bytes_.data() + guard_, values.data(), count_ * sizeof(T));
        }
    }
    T* get() { return count_ == 0 ? nullptr : reinterpret_cast<T*>(bytes_.data() + guard_); }
    std::vector<T> download() const {
        std::vector<T> out(count_);
        if (count_ != 0) {
            std::memcpy(out.data(), bytes_.data() + guard_, count_ * sizeof(T));
        }
        return out;
    }
    std::string guard_damage() const {
        for (size_t e = 0; e < bytes_.size(); ++e) {
            const bool in_band = e < guard_ || e >= guard_ + count_ * sizeof(T);
            if (in_band && bytes_[e] != kSentinelByte) {
                return "byte " + std::to_string(static_cast<int64_t>(e) - int64_t(guard_)) +
                       " relative to the first element";
            }
        }
        return {};
    }
    int64_t unwritten() const { return count_unwritten(download()); }

    template <typename U>
    static int64_t count_unwritten(const std::vector<U>& values) {
        U sentinel;
        std::memset(&sentinel, kSentinelByte, sizeof(U));
        int64_t n = 0;
        for (const U& e : values) {
            n += std::memcmp(&e, &sentinel, sizeof(U)) == 0 ? 1 : 0;
        }
        return n;
    }

  private:
    size_t count_, guard_;
    std::vector<unsigned char> bytes_;  // std::vector's allocation is 16-byte aligned
};

// Guard bands intact; for outputs also every element written (Buffer: HostBuffer or
// DeviceBuffer).
template <typename Buffer>
void expect_guarded(const Buffer& buffer, const char* name, bool output) {
    EXPECT_EQ(buffer.guard_damage(), "") << name << ": written outside its bounds";
    if (output) {
        EXPECT_EQ(buffer.unwritten(), 0) << name << ": elements the kernels never wrote";
    }
}

// An input buffer still holds its values, guard bands included.
template <typename Buffer, typename T>
void expect_unchanged(const Buffer& buffer, const std::vector<T>& values, const char* name) {
    expect_guarded(buffer, name, false);
    const std::vector<T> now = buffer.download();
    EXPECT_TRUE(
        now.size() == values.size() &&
        (values.empty() || std::memcmp(now.data(), values.data(), values.size() * sizeof(T)) == 0))
        << name << ": an input was modified";
}

// Checks every input of a run (Buffer: HostBuffer or DeviceBuffer) against the values given.
template <typename IoBuffer, typename FloatBuffer, typename IO>
void expect_inputs_unchanged(const IoBuffer* const (&io)[7], const FloatBuffer& state0,
                             const FloatBuffer& dstate_final, const KernelArrays<IO>& in) {
    const std::vector<IO>* values[] = {&in.r, &in.w, &in.k, &in.v, &in.a, &in.b, &in.dy};
    const char* names[] = {"r", "w", "k", "v", "a", "b", "dy"};
    for (int x = 0; x < 7; ++x) {
        expect_unchanged(*io[x], *values[x], names[x]);
    }
    expect_unchanged(state0, in.state0, "state0");
    expect_unchanged(dstate_final, in.dstate_final, "dstate_final");
}

// One run of a forward and (options.backward) a backward program on guarded buffers of the
// problem (Buffer: HostBuffer or DeviceBuffer), every band, every output element and every
// input checked afterwards. forward(p) and backward(p, workspace) run the programs to the end.
template <template <typename> class Buffer, typename IO, typename Forward, typename Backward>
Outputs run_guarded(const Problem& pr, const RunOptions& options, int64_t workspace_floats,
                    const Forward& forward, const Backward& backward) {
    const KernelArrays<IO> in(pr);
    Buffer<IO> r(in.r), w(in.w), k(in.k), v(in.v), a(in.a), b(in.b), dy(in.dy);
    Buffer<float> state0(in.state0), dstate_final(in.dstate_final);
    Buffer<IO> y(pr.tokens());
    Buffer<float> state_final(pr.states());
    Buffer<float> checkpoints(options.checkpoints ? pr.checkpoints() : 0);
    Wkv7BackwardParams<IO, float> p;
    set_sizes(p, pr.shape);
    p.r = r.get(), p.w = w.get(), p.k = k.get(), p.v = v.get(), p.a = a.get(), p.b = b.get();
    p.state0 = state0.get();  // null when the problem has none
    p.y = y.get(), p.state_final = state_final.get(), p.checkpoints = checkpoints.get();
    forward(p);
    Outputs out;
    out.y = to_double(y.download());
    out.state_final = to_double(state_final.download());
    out.checkpoints = to_double(checkpoints.download());
    expect_guarded(y, "y", true);
    expect_guarded(state_final, "state_final", true);
    expect_guarded(checkpoints, "checkpoints", true);
    if (options.backward) {
        std::vector<Buffer<IO>> grads;
        grads.reserve(6);  // the buffers stay where they are
        IO** const slots[] = {&p.dr, &p.dw, &p.dk, &p.dv, &p.da, &p.db};
        for (IO** slot : slots) {
            *slot = grads.emplace_back(pr.tokens()).get();
        }
        Buffer<float> dstate0(options.dstate0 ? pr.states() : 0);
        Buffer<float> workspace(workspace_floats);
        p.dy = dy.get();
        p.dstate_final = options.dstate_final ? dstate_final.get() : nullptr;
        p.dstate0 = dstate0.get();
        backward(p, workspace.get());
        std::vector<double>* const results[] = {&out.dr, &out.dw, &out.dk,
                                                &out.dv, &out.da, &out.db};
        const char* names[] = {"dr", "dw", "dk", "dv", "da", "db"};
        for (int g = 0; g < 6; ++g) {
            *results[g] = to_double(grads[g].download());
            expect_guarded(grads[g], names[g], true);
        }
        out.dstate0 = to_double(dstate0.download());
        expect_guarded(dstate0, "dstate0", true);
        expect_guarded(workspace, "workspace", false);
    }
    const Buffer<IO>* const inputs[7] = {&r, &w, &k, &v, &a, &b, &dy};
    expect_inputs_unchanged(inputs, state0, dstate_final, in);
    return out;
}

template <typename IO>
Outputs run_emulated(const Problem& pr, wkv7_cuda::ThreadOrder order,
                     const RunOptions& options = {}) {
    const Shape& s = pr.shape;
    return run_guarded<HostBuffer, IO>(
        pr, options, s.B * s.H * wkv7_cuda::kWorkspaceBlocks * s.N * s.N,
        [order](const Wkv7BackwardParams<IO, float>& p) {
            wkv7_cuda::wkv7_forward_emulated<IO>(p, order);
        },
        [order](const Wkv7BackwardParams<IO, float>& p, float* workspace) {
            wkv7_cuda::wkv7_backward_emulated<IO>(p, workspace, order);
        });
}

#if STATETRACK_TEST_CPU_KERNEL
// The CPU kernel in float32 on the same (float32) problem, forward and backward.
inline Outputs run_cpu_kernel(const Problem& pr) {
    KernelArrays<float> in(pr);
    std::vector<float> y(pr.tokens()), state_final(pr.states()), checkpoints(pr.checkpoints());
    std::vector<std::vector<float>> grads(6, std::vector<float>(pr.tokens()));
    std::vector<float> dstate0(pr.states());
    Wkv7BackwardParams<float> p;
    set_sizes(p, pr.shape);
    p.r = in.r.data(), p.w = in.w.data(), p.k = in.k.data();
    p.v = in.v.data(), p.a = in.a.data(), p.b = in.b.data();
    p.state0 = in.state0.empty() ? nullptr : in.state0.data();
    p.y = y.data(), p.state_final = state_final.data(), p.checkpoints = checkpoints.data();
    wkv7_forward_cpu<float>(p);
    p.dy = in.dy.data(), p.dstate_final = in.dstate_final.data();
    p.dr = grads[0].data(), p.dw = grads[1].data(), p.dk = grads[2].data();
    p.dv = grads[3].data(), p.da = grads[4].data(), p.db = grads[5].data();
    p.dstate0 = dstate0.data();
    wkv7_backward_cpu<float>(p);
    return {to_double(y),        to_double(state_final), to_double(checkpoints),
            to_double(grads[0]), to_double(grads[1]),    to_double(grads[2]),
            to_double(grads[3]), to_double(grads[4]),    to_double(grads[5]),
            to_double(dstate0)};
}
#endif

}  // namespace statetrack::kernels::cuda_testing
