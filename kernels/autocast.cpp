// AutocastScope (see autocast.h). LibTorch 1.13 has one function per device type
// (set_cpu_enabled, set_autocast_gpu_dtype, ...); 2.x takes the device type as an argument.
#include "kernels/autocast.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

#define STATETRACK_AUTOCAST_BY_DEVICE_TYPE \
    (TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4))

namespace statetrack::kernels {
namespace {

bool enabled(c10::DeviceType t) {
#if STATETRACK_AUTOCAST_BY_DEVICE_TYPE
    return at::autocast::is_autocast_enabled(t);
#else
    return t == c10::DeviceType::CUDA ? at::autocast::is_enabled() : at::autocast::is_cpu_enabled();
#endif
}

void set_enabled(c10::DeviceType t, bool on) {
#if STATETRACK_AUTOCAST_BY_DEVICE_TYPE
    at::autocast::set_autocast_enabled(t, on);
#else
    t == c10::DeviceType::CUDA ? at::autocast::set_enabled(on) : at::autocast::set_cpu_enabled(on);
#endif
}

at::ScalarType dtype(c10::DeviceType t) {
#if STATETRACK_AUTOCAST_BY_DEVICE_TYPE
    return at::autocast::get_autocast_dtype(t);
#else
    return t == c10::DeviceType::CUDA ? at::autocast::get_autocast_gpu_dtype()
                                      : at::autocast::get_autocast_cpu_dtype();
#endif
}

void set_dtype(c10::DeviceType t, at::ScalarType d) {
#if STATETRACK_AUTOCAST_BY_DEVICE_TYPE
    at::autocast::set_autocast_dtype(t, d);
#else
    t == c10::DeviceType::CUDA ? at::autocast::set_autocast_gpu_dtype(d)
                               : at::autocast::set_autocast_cpu_dtype(d);
#endif
}

}  // namespace

bool autocast_active(c10::DeviceType device_type) {
    return (device_type == c10::DeviceType::CPU || device_type == c10::DeviceType::CUDA) &&
           enabled(device_type);
}

AutocastScope::AutocastScope(torch::Device device, bool on) : on_(on), type_(device.type()) {
    if (!on_) {
        return;
    }
    TORCH_CHECK(type_ == c10::DeviceType::CPU || type_ == c10::DeviceType::CUDA,
                "bf16 autocast: unsupported device ", device);
    was_enabled_ = enabled(type_);
    was_dtype_ = dtype(type_);
    set_dtype(type_, at::kBFloat16);
    set_enabled(type_, true);
}

AutocastScope::~AutocastScope() {
    if (!on_) {
        return;
    }
    set_enabled(type_, was_enabled_);
    set_dtype(type_, was_dtype_);
    if (!was_enabled_) {
        at::autocast::clear_cache();
    }
}

}  // namespace statetrack::kernels
