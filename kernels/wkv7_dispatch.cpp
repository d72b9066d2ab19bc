// Argument checks, output allocation and device dispatch for the WKV7 op (see wkv7_dispatch.h).
#include "kernels/wkv7_dispatch.h"

#include <array>

#include "kernels/tensor_pointers.h"
#include "kernels/wkv7.h"
#include "kernels/wkv7_cpu.h"
#include "kernels/wkv7_params.h"
#if STATETRACK_WITH_CUDA
#include "kernels/wkv7_cuda_dispatch.h"
#endif

namespace statetrack::kernels {
namespace {

using Inputs = std::array<torch::Tensor, 6>;  // r, w, k, v, a, b
constexpr std::array<const char*, 6> kInputNames = {"r", "w", "k", "v", "a", "b"};

void check_device(const torch::Tensor& r) {
    if (r.is_cuda()) {
#if !STATETRACK_WITH_CUDA
        TORCH_CHECK(false, "wkv7: r is on ", r.device(),
                    " but statetrack was built without CUDA (STATETRACK_WITH_CUDA=0); "
                    "rebuild where nvcc is found, or pass CPU tensors");
#endif
        return;
    }
    TORCH_CHECK(r.is_cpu(), "wkv7: r is on ", r.device(), "; supported devices: cpu, cuda");
}

void check_first_input(const torch::Tensor& r) {
    TORCH_CHECK(r.defined(), "wkv7: r is an undefined tensor");
    TORCH_CHECK(r.dim() == 4, "wkv7: r must be (B, T, H, N), got shape ", r.sizes());
    check_device(r);
    TORCH_CHECK(r.size(0) >= 1 && r.size(1) >= 1 && r.size(2) >= 1,
                "wkv7: B, T and H must be positive, r has shape ", r.sizes());
#if STATETRACK_WITH_CUDA
    if (r.is_cuda()) {
        check_wkv7_cuda_input(r);  // float32 / bfloat16, N in {16, 32, 64, 128}
        return;
    }
#endif
    TORCH_CHECK(r.scalar_type() == torch::kFloat32 || r.scalar_type() == torch::kFloat64,
                "wkv7: r has dtype ", r.scalar_type(), "; supported: float32, float64");
    TORCH_CHECK(wkv7_cpu_supports_head_size(r.size(3)), "wkv7: head size N = ", r.size(3),
                " (r.size(3)) is not supported; N must be a positive multiple of 16");
}

void check_like_r(const torch::Tensor& x, const char* name, const torch::Tensor& r) {
    TORCH_CHECK(x.defined(), "wkv7: ", name, " is an undefined tensor");
    TORCH_CHECK(x.sizes() == r.sizes(), "wkv7: ", name, " has shape ", x.sizes(), " but r has ",
                r.sizes(), "; expected r's (B, T, H, N)");
    TORCH_CHECK(x.scalar_type() == r.scalar_type(), "wkv7: ", name, " has dtype ", x.scalar_type(),
                " but r has ", r.scalar_type(), "; expected r's dtype");
    TORCH_CHECK(x.device() == r.device(), "wkv7: ", name, " is on ", x.device(), " but r is on ",
                r.device());
}

// A (B, H, N, N) state-shaped tensor: state0 or dstate_final.
void check_state(const torch::Tensor& s, const char* name, const torch::Tensor& r) {
    const auto B = r.size(0), H = r.size(2), N = r.size(3);
    TORCH_CHECK(
        s.dim() == 4 && s.size(0) == B && s.size(1) == H && s.size(2) == N && s.size(3) == N,
        "wkv7: ", name, " has shape ", s.sizes(), "; expected (B, H, N, N) = [", B, ", ", H, ", ",
        N, ", ", N, "]");
    TORCH_CHECK(s.is_floating_point(), "wkv7: ", name, " has dtype ", s.scalar_type(),
                "; expected a floating dtype");
    TORCH_CHECK(s.device() == r.device(), "wkv7: ", name, " is on ", s.device(), " but r is on ",
                r.device());
}

Inputs contiguous_inputs(const Inputs& in) {
    Inputs out;
    for (size_t i = 0; i < in.size(); ++i) {
        out[i] = in[i].contiguous();
    }
    return out;
}

template <typename scalar_t>
void set_inputs(Wkv7ForwardParams<scalar_t>& p, const Inputs& in) {
    p.B = in[0].size(0);
    p.T = in[0].size(1);
    p.H = in[0].size(2);
    p.N = in[0].size(3);
    point_at({&p.r, &p.w, &p.k, &p.v, &p.a, &p.b}, in);
}

}  // namespace

torch::ScalarType wkv7_state_dtype(torch::ScalarType input) {
    return input == torch::kFloat64 ? torch::kFloat64 : torch::kFloat32;
}

void check_wkv7_inputs(const torch::Tensor& r, const torch::Tensor& w, const torch::Tensor& k,
                       const torch::Tensor& v, const torch::Tensor& a, const torch::Tensor& b,
                       const torch::Tensor& state0) {
    check_first_input(r);
    const Inputs in = {r, w, k, v, a, b};
    for (size_t i = 1; i < in.size(); ++i) {
        check_like_r(in[i], kInputNames[i], r);
    }
    if (state0.defined()) {
        check_state(state0, "state0", r);
    }
}

Wkv7ForwardResult wkv7_forward(const torch::Tensor& r, const torch::Tensor& w,
                               const torch::Tensor& k, const torch::Tensor& v,
                               const torch::Tensor& a, const torch::Tensor& b,
                               const torch::Tensor& state0, bool keep_checkpoints) {
    check_wkv7_inputs(r, w, k, v, a, b, state0);
    const auto state_dtype = wkv7_state_dtype(r.scalar_type());
    TORCH_CHECK(!state0.defined() || state0.scalar_type() == state_dtype,
                "wkv7_forward: state0 has dtype ", state0.scalar_type(), "; expected ",
                state_dtype);
    const Inputs in = contiguous_inputs({r, w, k, v, a, b});
    const torch::Tensor s0 = state0.defined() ? state0.contiguous() : torch::Tensor();
    const auto B = r.size(0), T = r.size(1), H = r.size(2), N = r.size(3);
    const auto state_options = r.options().dtype(state_dtype);
    Wkv7ForwardResult out;
    out.y = torch::empty({B, T, H, N}, r.options());
    out.state_final = torch::empty({B, H, N, N}, state_options);
    if (keep_checkpoints) {
        out.checkpoints = torch::empty({B, H, wkv7_num_chunks(T), N, N}, state_options);
    }
#if STATETRACK_WITH_CUDA
    if (r.is_cuda()) {  // CUDA tensors get past check_device only in such a build
        wkv7_forward_cuda_tensors(in, s0, out);
        return out;
    }
#endif
    AT_DISPATCH_FLOATING_TYPES(r.scalar_type(), "wkv7_forward_cpu", [&] {
        Wkv7ForwardParams<scalar_t> p;
        set_inputs(p, in);
        point_at({&p.state0}, {s0});  // null when absent
        point_at({&p.y, &p.state_final, &p.checkpoints}, {out.y, out.state_final, out.checkpoints});
        wkv7_forward_cpu(p);
    });
    return out;
}

Wkv7Gradients wkv7_backward(const torch::Tensor& r, const torch::Tensor& w, const torch::Tensor& k,
                            const torch::Tensor& v, const torch::Tensor& a, const torch::Tensor& b,
                            const torch::Tensor& checkpoints, const torch::Tensor& dy,
                            const torch::Tensor& dstate_final, bool want_dstate0) {
    check_wkv7_inputs(r, w, k, v, a, b, torch::Tensor());
    const auto B = r.size(0), T = r.size(1), H = r.size(2), N = r.size(3);
    const auto state_dtype = wkv7_state_dtype(r.scalar_type());
    TORCH_CHECK(checkpoints.defined() &&
                    checkpoints.sizes() == torch::IntArrayRef({B, H, wkv7_num_chunks(T), N, N}),
                "wkv7_backward: checkpoints must come from wkv7_forward on the same inputs");
    TORCH_CHECK(checkpoints.scalar_type() == state_dtype, "wkv7_backward: checkpoints have dtype ",
                checkpoints.scalar_type(), "; expected ", state_dtype);
    check_like_r(dy, "dy", r);
    if (dstate_final.defined()) {
        check_state(dstate_final, "dstate_final", r);
        TORCH_CHECK(dstate_final.scalar_type() == state_dtype, "wkv7_backward: dstate_final has ",
                    dstate_final.scalar_type(), "; expected ", state_dtype);
    }
    const Inputs in = contiguous_inputs({r, w, k, v, a, b});
    const torch::Tensor ckpt = checkpoints.contiguous();
    const torch::Tensor dy_c = dy.contiguous();
    const torch::Tensor dsf = dstate_final.defined() ? dstate_final.contiguous() : torch::Tensor();
    Wkv7Gradients g;
    for (torch::Tensor* grad : {&g.dr, &g.dw, &g.dk, &g.dv, &g.da, &g.db}) {
        *grad = torch::empty({B, T, H, N}, r.options());  // the kernel writes every element
    }
    if (want_dstate0) {
        g.dstate0 = torch::empty({B, H, N, N}, r.options().dtype(state_dtype));
    }
#if STATETRACK_WITH_CUDA
    if (r.is_cuda()) {
        wkv7_backward_cuda_tensors(in, ckpt, dy_c, dsf, g);
        return g;
    }
#endif
    AT_DISPATCH_FLOATING_TYPES(r.scalar_type(), "wkv7_backward_cpu", [&] {
        Wkv7BackwardParams<scalar_t> p;
        set_inputs(p, in);
        point_at({&p.dy, &p.dstate_final}, {dy_c, dsf});  // dstate_final null when absent
        point_at({&p.checkpoints, &p.dr, &p.dw, &p.dk, &p.dv, &p.da, &p.db, &p.dstate0},
                 {ckpt, g.dr, g.dw, g.dk, g.dv, g.da, g.db, g.dstate0});
        wkv7_backward_cpu(p);
    });
    return g;
}

}  // namespace statetrack::kernels
