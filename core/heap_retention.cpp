// retain_freed_heap (see heap_retention.h).
#include "core/heap_retention.h"

#include <cstdlib>  // defines __GLIBC__ where the C library is glibc

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace statetrack::core {

bool retain_freed_heap() {
#if defined(__GLIBC__)
    constexpr int kTrimThreshold = 1 << 30;  // never trim below 1 GiB of free top-of-heap
    constexpr int kTopPad = 64 << 20;        // grow the heap by at least 64 MiB at a time
    // Setting M_TRIM_THRESHOLD also freezes glibc's dynamic mmap threshold at its default
    // (128 KiB), so activations (≥ 128 KiB) would be mmapped and unmapped on every free. Keep them
    // in the heap: mmap only buffers of 32 MiB and over (glibc's maximum for this setting).
    constexpr int kMmapThreshold = 32 << 20;
    return mallopt(M_TRIM_THRESHOLD, kTrimThreshold) == 1 && mallopt(M_TOP_PAD, kTopPad) == 1 &&
           mallopt(M_MMAP_THRESHOLD, kMmapThreshold) == 1;
#else
    return false;
#endif
}

}  // namespace statetrack::core
