// relu_square(x) = max(x, 0)², differentiable: RWKV-7's channel-mix activation as one op.
// torch::relu(x).square() records two ops and saves two activations for the backward (pow's
// backward alone costs more than the forward); this op saves x only and runs one loop each way
// (kernels/relu_square_cpu.h). CPU float32/float64 tensors take those loops; any other dtype or
// device (bf16 under autocast, CUDA) gets the reference torch::relu(x).square(). Same shape and
// dtype as x; any strides. Double backward is not supported on the loop path (a clear error).
#pragma once

#include <torch/torch.h>

namespace statetrack::kernels {

torch::Tensor relu_square(const torch::Tensor& x);

}  // namespace statetrack::kernels
