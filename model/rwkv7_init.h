// The reference RWKV-7 initialisation: RWKV-LM's current module init (b3b4d05/HEAD) followed by
// train.py's generate_init_weight, which re-initialises every 2-D `.weight` (docs/rwkv7.md §9).
// Per layer l of L, with C channels, head size N and n = 0..C-1:
//   r0 = l/(L-1) (0 when L = 1: the reference divides by zero there; a single layer is treated
//   as the first layer), r1 = 1 - l/L, ddd = n/C, linear = n/(C-1) - 0.5,
//   zigzag = z|z| with z = ((n mod N) - (N-1)/2) / ((N-1)/2).
//   att.x_r, x_g = 1 - ddd^(0.2 r1); x_w, x_a = 1 - ddd^(0.9 r1); x_k, x_v = 1 - ddd^(0.7 r1)
//   att.w0 = -6 + 6 (n/(C-1))^(1 + r0^0.3) + 0.5 + 2.5 zigzag
//   att.a0 = -0.19 + 0.3 zigzag + 0.4 linear;  att.v0 = 0.73 - 0.4 linear
//   att.k_k = 0.71 - 0.1 linear;  att.k_a = 1.02;  att.r_k = -0.04
//   att.{w,a,v,g}1 = 0;  att.{w,a,v,g}2 = orthogonal, gain 0.1·(√(rows/cols) if rows > cols)
//   att.receptance, att.value, ffn.key: orthogonal gain 1; att.key: orthogonal gain 0.1;
//   att.output, ffn.value: 0;  att.ln_x.weight = ((1+l)/L)^0.7, bias 0
//   ffn.x_k = 1 - ddd^(r1^4);  ln0/ln1/ln2/ln_out: weight 1, bias 0
//   emb: U(-1e-4, 1e-4);  head: orthogonal, gain 0.5·√(V/C) if V > C else 0.5
// Randomness comes from automata/random.h (mt19937_64 + Box-Muller), drawn in float64 in
// parameter registration order, so a seed gives the same weights on every machine and dtype.
#pragma once

#include <cstdint>

#include "model/rwkv7_config.h"
#include "model/rwkv7_model.h"

namespace statetrack::model {

// Overwrites every parameter of `model` with the reference initialisation for `seed`.
void rwkv7_initialize(Rwkv7ModelImpl& model, uint64_t seed);

// A float32 CPU model with the reference initialisation.
Rwkv7Model make_rwkv7_model(const Rwkv7Config& config, uint64_t seed);

}  // namespace statetrack::model
