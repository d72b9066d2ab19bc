// Tensor-level WKV7 forward and backward without autograd: argument checks, output allocation
// and dispatch on device (CPU kernel, or CUDA kernels in a CUDA build). wkv7_autograd.cpp builds
// the differentiable op on these; benchmarks and tests may call them directly.
// Shapes as in wkv7.h; C = ceil(T / kWkv7ChunkLen) checkpoints, layout in wkv7_params.h.
#pragma once

#include <torch/torch.h>

namespace statetrack::kernels {

struct Wkv7ForwardResult {
    torch::Tensor y;            // (B, T, H, N), inputs' dtype
    torch::Tensor state_final;  // (B, H, N, N), state dtype
    torch::Tensor checkpoints;  // (B, H, C, N, N), state dtype; undefined unless requested
};

struct Wkv7Gradients {
    torch::Tensor dr, dw, dk, dv, da, db;  // (B, T, H, N)
    torch::Tensor dstate0;                 // (B, H, N, N), state dtype; undefined unless requested
};

// TORCH_CHECKs every argument (defined, shapes, dtypes, devices, supported N), naming the bad one.
// state0 may be undefined.
void check_wkv7_inputs(const torch::Tensor& r, const torch::Tensor& w, const torch::Tensor& k,
                       const torch::Tensor& v, const torch::Tensor& a, const torch::Tensor& b,
                       const torch::Tensor& state0);

// Inputs as checked above; state0 undefined or of the state dtype.
Wkv7ForwardResult wkv7_forward(const torch::Tensor& r, const torch::Tensor& w,
                               const torch::Tensor& k, const torch::Tensor& v,
                               const torch::Tensor& a, const torch::Tensor& b,
                               const torch::Tensor& state0, bool keep_checkpoints);

// checkpoints from wkv7_forward on the same inputs; dy (B, T, H, N) required; dstate_final
// undefined (= zeros) or (B, H, N, N).
Wkv7Gradients wkv7_backward(const torch::Tensor& r, const torch::Tensor& w, const torch::Tensor& k,
                            const torch::Tensor& v, const torch::Tensor& a, const torch::Tensor& b,
                            const torch::Tensor& checkpoints, const torch::Tensor& dy,
                            const torch::Tensor& dstate_final, bool want_dstate0);

}  // namespace statetrack::kernels
