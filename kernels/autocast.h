// bf16 mixed precision ("precision": "bf16", docs/run-config.md) through LibTorch's autocast,
// behind one small interface that builds against LibTorch 1.13 and 2.x (whose autocast
// functions differ). Contract:
// - AutocastScope(device, on): while it lives, and only if `on`, ops on `device`'s type that
//   autocast lists (matrix products, linear layers, convolutions) run in bfloat16; parameters,
//   gradients and optimiser state stay float32 (the master weights), and autocast's own
//   float32 list (exp, norms, softmax, losses) stays float32. The previous state is restored and
//   autocast's cast cache cleared when it ends. Thread-local, like autocast itself.
// - autocast_active(device_type): whether such a scope is on here; the WKV7 and selective-scan
//   ops use it to bring their inputs to one dtype (wkv7.h, selective_scan.h), since they are not
//   autocast-registered ops.
#pragma once

#include <torch/torch.h>

namespace statetrack::kernels {

bool autocast_active(c10::DeviceType device_type);

class AutocastScope {
  public:
    AutocastScope(torch::Device device, bool on);
    ~AutocastScope();
    AutocastScope(const AutocastScope&) = delete;
    AutocastScope& operator=(const AutocastScope&) = delete;

  private:
    bool on_ = false;
    c10::DeviceType type_ = c10::DeviceType::CPU;
    bool was_enabled_ = false;
    at::ScalarType was_dtype_ = at::kBFloat16;
};

}  // namespace statetrack::kernels
