// retain_freed_heap(): makes glibc malloc keep freed memory in the process instead of handing it
// back to the kernel, for processes that train.
//
// Why: a training step allocates and frees the same few hundred activation buffers every step.
// By default glibc returns the top of the heap to the kernel once more than M_TRIM_THRESHOLD is
// free, so the next step page-faults the same memory back in, zeroed: at the quick experiment's
// RWKV-7 shape that was ~2,400 page faults per step and 10-20% of its time (README,
// Performance). With trimming off and a 64 MiB top pad the heap stays at its peak and a step
// faults nothing. The cost: the process keeps its peak heap for its lifetime.
//
// Process-wide and idempotent; the statetrack executable's main() calls it first thing.
// Returns false where it changes nothing (a C library other than glibc, or mallopt refused).
#pragma once

namespace statetrack::core {

bool retain_freed_heap();

}  // namespace statetrack::core
