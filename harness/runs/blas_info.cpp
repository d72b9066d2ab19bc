// blas_info (see blas_info.h).
#include "harness/runs/blas_info.h"

#include <dlfcn.h>
#include <fmt/format.h>

#include <array>
#include <cstdio>
#include <mutex>

namespace statetrack::harness {
namespace {

// OpenBLAS kernel sets older than AVX: on a CPU with AVX2 they are a fallback, not a choice.
constexpr std::array<const char*, 10> kGenericCores = {
    "Prescott", "Core2",  "Penryn", "Dunnington", "Nehalem",
    "Atom",     "Katmai", "Banias", "Northwood",  "Coppermine"};

using CharFn = char* (*)();

std::string call_if_present(const char* symbol) {
    const auto fn = reinterpret_cast<CharFn>(::dlsym(RTLD_DEFAULT, symbol));
    const char* text = fn != nullptr ? fn() : nullptr;
    return text != nullptr ? text : "";
}

}  // namespace

BlasInfo blas_info() {
    BlasInfo info;
    void* sgemm = ::dlsym(RTLD_DEFAULT, "sgemm_");
    Dl_info where{};
    if (sgemm == nullptr || ::dladdr(sgemm, &where) == 0) {
        info.library = "none";
        return info;
    }
    info.path = where.dli_fname != nullptr ? where.dli_fname : "";
    info.config = call_if_present("openblas_get_config");
    info.core = call_if_present("openblas_get_corename");
    info.library = info.config.empty() ? "unknown" : "OpenBLAS";
    bool generic = false;
    for (const char* core : kGenericCores) {
        generic = generic || info.core == core;
    }
    __builtin_cpu_init();
    info.generic_on_modern_cpu = generic && __builtin_cpu_supports("avx2");
    return info;
}

std::string BlasInfo::summary() const {
    if (library == "none") {
        return "BLAS: none in this build";
    }
    if (library != "OpenBLAS") {
        return fmt::format(
            "BLAS: not OpenBLAS ({}); if it is the reference BLAS, matrix "
            "products are about 14x slower (scripts/setup.sh installs OpenBLAS)",
            path);
    }
    return fmt::format("BLAS: {} (kernels: {}{}), {}", config, core,
                       generic_on_modern_cpu ? ", a generic fallback on this CPU" : "", path);
}

nlohmann::json BlasInfo::to_json() const {
    return {{"library", library},
            {"path", path},
            {"config", config},
            {"core", core},
            {"generic_fallback", generic_on_modern_cpu}};
}

bool set_blas_threads(int threads) {
    using SetFn = void (*)(int);
    const auto set = reinterpret_cast<SetFn>(::dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
    if (set == nullptr) {
        return false;
    }
    set(threads);
    return true;
}

void warn_if_generic_blas() {
    static std::once_flag once;
    std::call_once(once, [] {
        const BlasInfo info = blas_info();
        if (info.generic_on_modern_cpu) {
            std::fprintf(stderr,
                         "statetrack: warning: OpenBLAS uses its generic %s kernels on this AVX2 "
                         "CPU (sgemm about 6x slower); OPENBLAS_CORETYPE=Haswell, or SkylakeX on "
                         "AVX-512, selects suitable ones (README, Performance)\n",
                         info.core.c_str());
        }
    });
}

}  // namespace statetrack::harness
