// blas_info (harness/runs/blas_info.h): in a torch build the BLAS is OpenBLAS (scripts/setup.sh
// installs it) and its kernel set is named; the CI's second pass forces the Prescott kernels
// (scripts/test.sh), which must then be reported, and flagged as a fallback on an AVX2 CPU; a
// torch-free build has no BLAS at all. set_blas_threads reaches OpenBLAS's own thread count. It runs in the cli suite, whose binary links LibTorch in a
// torch build: blas_info() looks in the running process.
#include "harness/runs/blas_info.h"

#include <dlfcn.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "harness/runs/build_info.h"

namespace statetrack::harness {
namespace {

TEST(BlasInfo, NamesTheLibraryAndItsKernels) {
    const BlasInfo info = blas_info();
    if (!built_with_torch()) {
        EXPECT_EQ(info.library, "none");
        EXPECT_EQ(info.summary(), "BLAS: none in this build");
        return;
    }
    ASSERT_EQ(info.library, "OpenBLAS") << info.summary();
    EXPECT_FALSE(info.core.empty());
    EXPECT_NE(info.config.find(info.core), std::string::npos) << info.config;
    EXPECT_NE(info.path.find("lib"), std::string::npos) << info.path;
    const char* forced = std::getenv("OPENBLAS_CORETYPE");
    if (forced != nullptr && std::string(forced) == "Prescott") {
        EXPECT_EQ(info.core, "Prescott");
        __builtin_cpu_init();
        EXPECT_EQ(info.generic_on_modern_cpu, __builtin_cpu_supports("avx2") != 0);
        EXPECT_NE(info.summary().find("a generic fallback on this CPU"), std::string::npos);
    }
    EXPECT_EQ(info.to_json()["core"], info.core);
}

TEST(BlasInfo, SetsOpenBlasThreads) {
    if (!built_with_torch()) {
        EXPECT_FALSE(set_blas_threads(1));  // no BLAS in this process
        return;
    }
    using GetFn = int (*)();
    const auto get = reinterpret_cast<GetFn>(::dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
    ASSERT_NE(get, nullptr);
    const int before = get();
    ASSERT_TRUE(set_blas_threads(1));
    EXPECT_EQ(get(), 1);
    ASSERT_TRUE(set_blas_threads(2));
    EXPECT_EQ(get(), 2);
    set_blas_threads(before);
}

}  // namespace
}  // namespace statetrack::harness
