// Tensor-level selective-scan forward and backward without autograd: argument checks, output
// allocation and the call into the CPU kernel. selective_scan_autograd.cpp builds the
// differentiable op on these; benchmarks and tests may call them directly.
// Shapes as in selective_scan.h; K = ceil(T / kSelectiveScanChunkLen) checkpoints, layout in
// selective_scan_params.h.
#pragma once

#include <torch/torch.h>

namespace statetrack::kernels {

struct SelectiveScanForwardResult {
    torch::Tensor y;            // (B, T, D)
    torch::Tensor h_final;      // (B, D, S)
    torch::Tensor checkpoints;  // (B, D, K, S); undefined unless requested
};

struct SelectiveScanGradients {
    torch::Tensor du, ddelta;  // (B, T, D)
    torch::Tensor dA;          // (D, S)
    torch::Tensor dBm, dCm;    // (B, T, S)
    torch::Tensor dDskip;      // (D)
    torch::Tensor dh0;         // (B, D, S); undefined unless requested
};

// TORCH_CHECKs every argument (defined, shapes, dtypes, devices), naming the bad one. h0 may be
// undefined, or of any floating dtype.
void check_selective_scan_inputs(const torch::Tensor& u, const torch::Tensor& delta,
                                 const torch::Tensor& A, const torch::Tensor& Bm,
                                 const torch::Tensor& Cm, const torch::Tensor& Dskip,
                                 const torch::Tensor& h0);

// Inputs as checked above; h0 undefined or of the inputs' dtype.
SelectiveScanForwardResult selective_scan_forward(
    const torch::Tensor& u, const torch::Tensor& delta, const torch::Tensor& A,
    const torch::Tensor& Bm, const torch::Tensor& Cm, const torch::Tensor& Dskip,
    const torch::Tensor& h0, bool negative_eigenvalues, bool keep_checkpoints);

// checkpoints from selective_scan_forward on the same inputs; dy (B, T, D) required; dh_final
// undefined (= zeros) or (B, D, S).
SelectiveScanGradients selective_scan_backward(const torch::Tensor& u, const torch::Tensor& delta,
                                               const torch::Tensor& A, const torch::Tensor& Bm,
                                               const torch::Tensor& Cm, const torch::Tensor& Dskip,
                                               const torch::Tensor& checkpoints,
                                               const torch::Tensor& dy,
                                               const torch::Tensor& dh_final,
                                               bool negative_eigenvalues, bool want_dh0);

}  // namespace statetrack::kernels
