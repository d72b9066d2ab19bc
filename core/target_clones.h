// STATETRACK_TARGET_CLONES, written before a hot loop function (templates too): GCC builds the
// function once per instruction set (AVX-512; x86-64-v3, i.e. AVX2 with FMA; the x86-64
// baseline) and calls the best one the CPU has, chosen when the program loads (function
// multi-versioning). The middle clone names the x86-64-v3 level rather than "avx2": a bare
// "avx2" clone has no FMA, so every AVX2 machine ran separate multiplies and adds. The loops stay
// portable C++ and one binary runs wide vectors where they exist: at 64 channels a row is a few
// vectors, and the baseline's 16-byte ones made the layer norm 1.6× slower than AVX-512's.
// With the wider sets GCC also fuses multiplies and adds, so results differ between CPUs in the
// last bits; a loop that must round the same everywhere is built with -ffp-contract=off
// (model/adamw_step_cpu.cpp). Other compilers and CPUs get the plain function.
#pragma once

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define STATETRACK_TARGET_CLONES \
    __attribute__((target_clones("avx512f", "arch=x86-64-v3", "default")))
#else
#define STATETRACK_TARGET_CLONES
#endif
