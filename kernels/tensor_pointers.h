// Raw pointers into tensors for the kernels' parameter structs (kernels/wkv7_params.h,
// kernels/selective_scan_params.h), shared by the ops' dispatch code and their tests.
// Contract: point_at({&p.x, &p.y}, {x, y}) sets each slot to its tensor's data, the element
// type taken from the slot's (float or double, const or not), or to null for an undefined
// tensor (an absent optional argument). Slots and tensors pair up in order and must be as many;
// the tensors must be contiguous, of the slots' element type, and outlive the kernel call.
#pragma once

#include <torch/torch.h>

#include <initializer_list>
#include <type_traits>

namespace statetrack::kernels {

template <typename Ptr>
void point_at(std::initializer_list<Ptr*> slots, at::TensorList tensors) {
    using Element = std::remove_const_t<std::remove_pointer_t<Ptr>>;
    TORCH_CHECK(slots.size() == tensors.size(), "point_at: ", slots.size(), " pointers for ",
                tensors.size(), " tensors");
    size_t i = 0;
    for (Ptr* slot : slots) {
        const torch::Tensor& t = tensors[i++];
        *slot = t.defined() ? t.data_ptr<Element>() : nullptr;
    }
}

}  // namespace statetrack::kernels
