// The WKV7 op on CUDA tensors (see wkv7_cuda_dispatch.h). The whole file is empty unless the
// build has STATETRACK_WITH_CUDA=1 (a LibTorch with CUDA and the CUDA kernels), since the
// c10/cuda headers exist only in a CUDA LibTorch.
#if STATETRACK_WITH_CUDA
#include "kernels/wkv7_cuda_dispatch.h"

#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

#include "kernels/cuda/wkv7_cuda.h"
#include "kernels/wkv7_params.h"

namespace statetrack::kernels {
namespace {

// Raw pointers of a float32 or bfloat16 tensor, as the params structs want them.
template <typename IO>
IO* io_ptr(const torch::Tensor& t) {
    return t.defined() ? reinterpret_cast<IO*>(t.data_ptr()) : nullptr;
}
float* f32_ptr(const torch::Tensor& t) { return t.defined() ? t.data_ptr<float>() : nullptr; }

template <typename IO>
void set_inputs(Wkv7ForwardParams<IO, float>& p, const std::array<torch::Tensor, 6>& in) {
    p.B = in[0].size(0), p.T = in[0].size(1), p.H = in[0].size(2), p.N = in[0].size(3);
    p.r = io_ptr<IO>(in[0]), p.w = io_ptr<IO>(in[1]), p.k = io_ptr<IO>(in[2]);
    p.v = io_ptr<IO>(in[3]), p.a = io_ptr<IO>(in[4]), p.b = io_ptr<IO>(in[5]);
}

void* current_stream(const torch::Tensor& r) {
    return c10::cuda::getCurrentCUDAStream(r.device().index()).stream();
}

template <typename IO>
void forward(const std::array<torch::Tensor, 6>& in, const torch::Tensor& state0,
             Wkv7ForwardResult& out) {
    Wkv7ForwardParams<IO, float> p;
    set_inputs(p, in);
    p.state0 = f32_ptr(state0);
    p.y = io_ptr<IO>(out.y);
    p.state_final = f32_ptr(out.state_final);
    p.checkpoints = f32_ptr(out.checkpoints);
    wkv7_forward_cuda(p, current_stream(in[0]));
}

template <typename IO>
void backward(const std::array<torch::Tensor, 6>& in, const torch::Tensor& checkpoints,
              const torch::Tensor& dy, const torch::Tensor& dstate_final, Wkv7Gradients& g) {
    Wkv7BackwardParams<IO, float> p;
    set_inputs(p, in);
    p.checkpoints = f32_ptr(checkpoints);
    p.dy = io_ptr<IO>(dy);
    p.dstate_final = f32_ptr(dstate_final);
    p.dr = io_ptr<IO>(g.dr), p.dw = io_ptr<IO>(g.dw), p.dk = io_ptr<IO>(g.dk);
    p.dv = io_ptr<IO>(g.dv), p.da = io_ptr<IO>(g.da), p.db = io_ptr<IO>(g.db);
    p.dstate0 = f32_ptr(g.dstate0);
    // From the caching allocator on the current stream, so it is free again once the kernel ran.
    const torch::Tensor workspace = torch::empty({wkv7_backward_cuda_workspace_size(p.B, p.H, p.N)},
                                                 in[0].options().dtype(torch::kFloat32));
    wkv7_backward_cuda(p, workspace.data_ptr<float>(), current_stream(in[0]));
}

}  // namespace

void check_wkv7_cuda_input(const torch::Tensor& r) {
    TORCH_CHECK(r.scalar_type() == torch::kFloat32 || r.scalar_type() == torch::kBFloat16,
                "wkv7: r has dtype ", r.scalar_type(), " on ", r.device(),
                "; supported on CUDA: float32, bfloat16");
    TORCH_CHECK(wkv7_cuda_supports_head_size(r.size(3)), "wkv7: head size N = ", r.size(3),
                " (r.size(3)) is not supported on CUDA; N must be 16, 32, 64 or 128");
}

void wkv7_forward_cuda_tensors(const std::array<torch::Tensor, 6>& in, const torch::Tensor& state0,
                               Wkv7ForwardResult& out) {
    const c10::cuda::CUDAGuard guard(in[0].device());
    if (in[0].scalar_type() == torch::kBFloat16) {
        forward<Wkv7Bf16>(in, state0, out);
    } else {
        forward<float>(in, state0, out);
    }
}

void wkv7_backward_cuda_tensors(const std::array<torch::Tensor, 6>& in,
                                const torch::Tensor& checkpoints, const torch::Tensor& dy,
                                const torch::Tensor& dstate_final, Wkv7Gradients& g) {
    const c10::cuda::CUDAGuard guard(in[0].device());
    if (in[0].scalar_type() == torch::kBFloat16) {
        backward<Wkv7Bf16>(in, checkpoints, dy, dstate_final, g);
    } else {
        backward<float>(in, checkpoints, dy, dstate_final, g);
    }
}

}  // namespace statetrack::kernels
#endif  // STATETRACK_WITH_CUDA
