// rwkv7_wkv_readout: the RWKV-7 time mix's readout as one differentiable op. From the WKV op's
// output y it makes what the output projection takes: the per-head group norm (ln_x), plus the
// bonus (Σ_n r·k·r_k per head, times v), times the gate (formulas:
// model/rwkv7_wkv_readout_cpu.h; docs/rwkv7.md §3). As torch ops (rwkv7_wkv_readout_reference,
// the readable form and the tests' oracle) that is a group norm and six elementwise ops forward,
// twice as many backward; here one loop each way.
// Shapes: y r k v gate (B,T,C); weight bias (C), the group norm's affine parameters; r_k (H,N),
// undefined without the bonus (then r and k may be undefined too). Returns (B,T,C). CPU tensors
// all float32 or all float64 take the loops; anything else (bf16 under autocast, CUDA) runs the
// reference. Double backward is not supported on the loop path (a clear error); shapes that do
// not fit are a c10::Error naming them.
#pragma once

#include <torch/torch.h>

namespace statetrack::model {

struct Rwkv7ReadoutInputs {
    torch::Tensor y, r, k, v, gate;
    torch::Tensor weight, bias, r_k;
};

torch::Tensor rwkv7_wkv_readout(const Rwkv7ReadoutInputs& in, int64_t heads, double eps);

torch::Tensor rwkv7_wkv_readout_reference(const Rwkv7ReadoutInputs& in, int64_t heads, double eps);

}  // namespace statetrack::model
