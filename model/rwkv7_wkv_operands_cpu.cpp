// RWKV-7 WKV-operand loops (see rwkv7_wkv_operands_cpu.h): model/rwkv7_wkv_operands_loops.inc
// built for the baseline x86-64 and, where GCC targets x86, again for AVX2+FMA and AVX-512; the
// float entry points run the best set this CPU supports (checked once), float64 the baseline.
#include "model/rwkv7_wkv_operands_cpu.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "kernels/exp_approx.h"

namespace statetrack::model {
namespace {

namespace baseline {
#include "model/rwkv7_wkv_operands_loops.inc"
}  // namespace baseline

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define STATETRACK_OPERANDS_X86_ISAS 1
#pragma GCC push_options
#pragma GCC target("avx2,fma")
namespace avx2 {
#include "model/rwkv7_wkv_operands_loops.inc"
}  // namespace avx2
#pragma GCC pop_options
#pragma GCC push_options
#pragma GCC target("avx512f,avx2,fma")
namespace avx512 {
#include "model/rwkv7_wkv_operands_loops.inc"
}  // namespace avx512
#pragma GCC pop_options
#endif

struct FloatLoops {
    decltype(&baseline::operands_forward<float>) forward;
    decltype(&baseline::operands_backward<float>) backward;
};

const FloatLoops& float_loops() {
    static const FloatLoops chosen = [] {
#if STATETRACK_OPERANDS_X86_ISAS
        __builtin_cpu_init();
        if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma")) {
            return FloatLoops{avx512::operands_forward<float>, avx512::operands_backward<float>};
        }
        if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
            return FloatLoops{avx2::operands_forward<float>, avx2::operands_backward<float>};
        }
#endif
        return FloatLoops{baseline::operands_forward<float>, baseline::operands_backward<float>};
    }();
    return chosen;
}

}  // namespace

template <>
void rwkv7_operands_forward_cpu<float>(const Rwkv7OperandsShape& s,
                                       const Rwkv7OperandsIn<float>& in,
                                       const Rwkv7Operands<float>& out) {
    float_loops().forward(s, in, out);
}

template <>
void rwkv7_operands_forward_cpu<double>(const Rwkv7OperandsShape& s,
                                        const Rwkv7OperandsIn<double>& in,
                                        const Rwkv7Operands<double>& out) {
    baseline::operands_forward<double>(s, in, out);
}

template <>
void rwkv7_operands_backward_cpu<float>(const Rwkv7OperandsShape& s,
                                        const Rwkv7OperandsIn<float>& in,
                                        const Rwkv7Operands<const float>& grad_out,
                                        const Rwkv7OperandsGrad<float>& grad_in) {
    float_loops().backward(s, in, grad_out, grad_in);
}

template <>
void rwkv7_operands_backward_cpu<double>(const Rwkv7OperandsShape& s,
                                         const Rwkv7OperandsIn<double>& in,
                                         const Rwkv7Operands<const double>& grad_out,
                                         const Rwkv7OperandsGrad<double>& grad_in) {
    baseline::operands_backward<double>(s, in, grad_out, grad_in);
}

}  // namespace statetrack::model
