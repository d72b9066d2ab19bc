// retain_freed_heap (core/heap_retention.h): on glibc a freed 16 MiB buffer stays in the heap
// (mallinfo2's arena keeps it) instead of being unmapped as glibc does by default for buffers
// over its 128 KiB mmap threshold.
#include "core/heap_retention.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#if defined(__SANITIZE_ADDRESS__)  // GCC
#define STATETRACK_ASAN 1
#elif defined(__has_feature)  // clang
#if __has_feature(address_sanitizer)
#define STATETRACK_ASAN 1
#endif
#endif

namespace statetrack::core {
namespace {

#if defined(__GLIBC__)
TEST(HeapRetention, AFreedActivationSizedBufferStaysInTheHeap) {
#if defined(STATETRACK_ASAN)
    GTEST_SKIP() << "AddressSanitizer replaces glibc's malloc, so there is no glibc heap to check";
#endif
    ASSERT_TRUE(retain_freed_heap());
    EXPECT_TRUE(retain_freed_heap());  // idempotent
    constexpr size_t kBytes = 16u << 20;
    void* buffer = std::malloc(kBytes);
    ASSERT_NE(buffer, nullptr);
    std::memset(buffer, 1, kBytes);
    EXPECT_GE(mallinfo2().arena, kBytes) << "allocated outside the heap (mmapped)";
    std::free(buffer);
    EXPECT_GE(mallinfo2().arena, kBytes) << "the heap was trimmed after the free";
}
#else
TEST(HeapRetention, ChangesNothingOutsideGlibc) { EXPECT_FALSE(retain_freed_heap()); }
#endif

}  // namespace
}  // namespace statetrack::core
