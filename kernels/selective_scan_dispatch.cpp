// Argument checks, output allocation and the CPU kernel call for the selective scan (see
// selective_scan_dispatch.h).
#include "kernels/selective_scan_dispatch.h"

#include <vector>

#include "kernels/selective_scan_cpu.h"
#include "kernels/selective_scan_params.h"
#include "kernels/tensor_pointers.h"

namespace statetrack::kernels {
namespace {

void check_first_input(const torch::Tensor& u) {
    TORCH_CHECK(u.defined(), "selective_scan: u is an undefined tensor");
    TORCH_CHECK(u.dim() == 3, "selective_scan: u must be (B, T, D), got shape ", u.sizes());
    TORCH_CHECK(u.is_cpu() || u.is_cuda(), "selective_scan: u is on ", u.device(),
                "; supported devices: cpu, cuda");
    TORCH_CHECK(u.scalar_type() == torch::kFloat32 || u.scalar_type() == torch::kFloat64,
                "selective_scan: u has dtype ", u.scalar_type(), "; supported: float32, float64");
    TORCH_CHECK(u.size(0) >= 1 && u.size(1) >= 1 && u.size(2) >= 1,
                "selective_scan: B, T and D must be positive, u has shape ", u.sizes());
}

// The kernel behind selective_scan_forward/backward is CPU code; CUDA tensors go through
// selective_scan(), which runs the torch-op reference on the device (selective_scan.h).
void check_cpu_kernel_device(const torch::Tensor& u) {
    TORCH_CHECK(u.is_cpu(), "selective_scan: the CPU kernel got tensors on ", u.device(),
                "; call selective_scan(), which runs the torch-op reference there");
}

// x must be defined, of u's dtype and device, with shape `expected` (written as `legend`).
void check_input(const torch::Tensor& x, const char* name, const std::vector<int64_t>& expected,
                 const char* legend, const torch::Tensor& u) {
    TORCH_CHECK(x.defined(), "selective_scan: ", name, " is an undefined tensor");
    TORCH_CHECK(x.sizes() == torch::IntArrayRef(expected), "selective_scan: ", name, " has shape ",
                x.sizes(), "; expected ", legend, " = ", torch::IntArrayRef(expected));
    TORCH_CHECK(x.scalar_type() == u.scalar_type(), "selective_scan: ", name, " has dtype ",
                x.scalar_type(), " but u has ", u.scalar_type(), "; expected u's dtype");
    TORCH_CHECK(x.device() == u.device(), "selective_scan: ", name, " is on ", x.device(),
                " but u is on ", u.device());
}

// A (B, D, S) state-shaped tensor: h0 or dh_final.
void check_state(const torch::Tensor& h, const char* name, const torch::Tensor& u, int64_t S) {
    const std::vector<int64_t> expected = {u.size(0), u.size(2), S};
    TORCH_CHECK(h.sizes() == torch::IntArrayRef(expected), "selective_scan: ", name, " has shape ",
                h.sizes(), "; expected (B, D, S) = ", torch::IntArrayRef(expected));
    TORCH_CHECK(h.is_floating_point(), "selective_scan: ", name, " has dtype ", h.scalar_type(),
                "; expected a floating dtype");
    TORCH_CHECK(h.device() == u.device(), "selective_scan: ", name, " is on ", h.device(),
                " but u is on ", u.device());
}

// Contiguous copies of the six inputs, kept alive while the kernel reads their pointers.
struct ContiguousInputs {
    torch::Tensor u, delta, A, Bm, Cm, Dskip;
    ContiguousInputs(const torch::Tensor& u_, const torch::Tensor& delta_, const torch::Tensor& A_,
                     const torch::Tensor& Bm_, const torch::Tensor& Cm_,
                     const torch::Tensor& Dskip_)
        : u(u_.contiguous()),
          delta(delta_.contiguous()),
          A(A_.contiguous()),
          Bm(Bm_.contiguous()),
          Cm(Cm_.contiguous()),
          Dskip(Dskip_.contiguous()) {}

    template <typename scalar_t>
    void set(SelectiveScanForwardParams<scalar_t>& p, bool negative_eigenvalues) const {
        p.B = u.size(0);
        p.T = u.size(1);
        p.D = u.size(2);
        p.S = A.size(1);
        p.negative_eigenvalues = negative_eigenvalues;
        point_at({&p.u, &p.delta, &p.A, &p.Bm, &p.Cm, &p.Dskip}, {u, delta, A, Bm, Cm, Dskip});
    }
};

}  // namespace

void check_selective_scan_inputs(const torch::Tensor& u, const torch::Tensor& delta,
                                 const torch::Tensor& A, const torch::Tensor& Bm,
                                 const torch::Tensor& Cm, const torch::Tensor& Dskip,
                                 const torch::Tensor& h0) {
    check_first_input(u);
    const int64_t B = u.size(0), T = u.size(1), D = u.size(2);
    check_input(delta, "delta", {B, T, D}, "u's (B, T, D)", u);
    TORCH_CHECK(A.defined(), "selective_scan: A is an undefined tensor");
    TORCH_CHECK(A.dim() == 2 && A.size(0) == D && A.size(1) >= 1, "selective_scan: A has shape ",
                A.sizes(), "; expected (D, S) with D = ", D, " (u.size(2)) and S >= 1");
    const int64_t S = A.size(1);
    check_input(A, "A", {D, S}, "(D, S)", u);
    check_input(Bm, "Bm", {B, T, S}, "(B, T, S)", u);
    check_input(Cm, "Cm", {B, T, S}, "(B, T, S)", u);
    check_input(Dskip, "Dskip", {D}, "(D)", u);
    if (h0.defined()) {
        check_state(h0, "h0", u, S);
    }
}

SelectiveScanForwardResult selective_scan_forward(
    const torch::Tensor& u, const torch::Tensor& delta, const torch::Tensor& A,
    const torch::Tensor& Bm, const torch::Tensor& Cm, const torch::Tensor& Dskip,
    const torch::Tensor& h0, bool negative_eigenvalues, bool keep_checkpoints) {
    check_selective_scan_inputs(u, delta, A, Bm, Cm, Dskip, h0);
    check_cpu_kernel_device(u);
    TORCH_CHECK(!h0.defined() || h0.scalar_type() == u.scalar_type(),
                "selective_scan_forward: h0 has dtype ", h0.scalar_type(), "; expected u's ",
                u.scalar_type());
    const ContiguousInputs in(u, delta, A, Bm, Cm, Dskip);
    const torch::Tensor h0_c = h0.defined() ? h0.contiguous() : torch::Tensor();
    const int64_t B = u.size(0), T = u.size(1), D = u.size(2), S = A.size(1);
    SelectiveScanForwardResult out;
    out.y = torch::empty({B, T, D}, u.options());
    out.h_final = torch::empty({B, D, S}, u.options());
    if (keep_checkpoints) {
        out.checkpoints = torch::empty({B, D, selective_scan_num_chunks(T), S}, u.options());
    }
    AT_DISPATCH_FLOATING_TYPES(u.scalar_type(), "selective_scan_forward_cpu", [&] {
        SelectiveScanForwardParams<scalar_t> p;
        in.set(p, negative_eigenvalues);
        point_at({&p.h0}, {h0_c});  // null when absent, as checkpoints in inference
        point_at({&p.y, &p.h_final, &p.checkpoints}, {out.y, out.h_final, out.checkpoints});
        selective_scan_forward_cpu(p);
    });
    return out;
}

SelectiveScanGradients selective_scan_backward(const torch::Tensor& u, const torch::Tensor& delta,
                                               const torch::Tensor& A, const torch::Tensor& Bm,
                                               const torch::Tensor& Cm, const torch::Tensor& Dskip,
                                               const torch::Tensor& checkpoints,
                                               const torch::Tensor& dy,
                                               const torch::Tensor& dh_final,
                                               bool negative_eigenvalues, bool want_dh0) {
    check_selective_scan_inputs(u, delta, A, Bm, Cm, Dskip, torch::Tensor());
    check_cpu_kernel_device(u);
    const int64_t B = u.size(0), T = u.size(1), D = u.size(2), S = A.size(1);
    TORCH_CHECK(
        checkpoints.defined() &&
            checkpoints.sizes() == torch::IntArrayRef({B, D, selective_scan_num_chunks(T), S}) &&
            checkpoints.scalar_type() == u.scalar_type(),
        "selective_scan_backward: checkpoints must come from selective_scan_forward on "
        "the same inputs");
    check_input(dy, "dy", {B, T, D}, "u's (B, T, D)", u);
    if (dh_final.defined()) {
        check_state(dh_final, "dh_final", u, S);
        TORCH_CHECK(dh_final.scalar_type() == u.scalar_type(),
                    "selective_scan_backward: dh_final has dtype ", dh_final.scalar_type(),
                    "; expected u's ", u.scalar_type());
    }
    const ContiguousInputs in(u, delta, A, Bm, Cm, Dskip);
    const torch::Tensor ckpt = checkpoints.contiguous(), dy_c = dy.contiguous();
    const torch::Tensor dhf = dh_final.defined() ? dh_final.contiguous() : torch::Tensor();
    SelectiveScanGradients g;  // the kernel writes every element
    g.du = torch::empty({B, T, D}, u.options());
    g.ddelta = torch::empty({B, T, D}, u.options());
    g.dA = torch::empty({D, S}, u.options());
    g.dBm = torch::empty({B, T, S}, u.options());
    g.dCm = torch::empty({B, T, S}, u.options());
    g.dDskip = torch::empty({D}, u.options());
    if (want_dh0) {
        g.dh0 = torch::empty({B, D, S}, u.options());
    }
    AT_DISPATCH_FLOATING_TYPES(u.scalar_type(), "selective_scan_backward_cpu", [&] {
        SelectiveScanBackwardParams<scalar_t> p;
        in.set(p, negative_eigenvalues);
        point_at({&p.checkpoints, &p.du, &p.ddelta, &p.dA, &p.dBm, &p.dCm, &p.dDskip, &p.dh0},
                 {ckpt, g.du, g.ddelta, g.dA, g.dBm, g.dCm, g.dDskip, g.dh0});  // dh0 optional
        point_at({&p.dy, &p.dh_final}, {dy_c, dhf});                            // dh_final optional
        selective_scan_backward_cpu(p);
    });
    return g;
}

}  // namespace statetrack::kernels
