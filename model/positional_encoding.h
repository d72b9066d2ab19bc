// Positional encodings for the Transformer baseline (transformer_model.h). Delétang et al. swept
// none, sin/cos, Transformer-XL relative, ALiBi and RoPE (docs/anchors.md §1.1); all but the
// Transformer-XL one are here, plus a learned absolute table.
// Every function takes absolute positions through `start` (the first position of the chunk), so a
// KV-cached step at position t sees exactly what the parallel pass sees at row t.
// Tables are computed in float64 and then cast to `options` (the model's dtype and device), so a
// float32 model gets correctly rounded values at large positions.
// Shapes: T positions (chunk), Tk key positions, C = d_model, H heads, N head size.
//   sinusoidal_table -> (T, C): [p, 2i] = sin(p·ω_i), [p, 2i+1] = cos(p·ω_i), ω_i = 10000^(-2i/C)
//   rope_tables -> cos, sin (T, N/2) of angle p·θ_i, θ_i = base^(-2i/N), i = 0..N/2-1
//   rope_rotate(x (…, T, N)) rotates each pair (x[2i], x[2i+1]) by angle p·θ_i (RoFormer's
//     interleaved pairing), so ⟨rope(q, m), rope(k, n)⟩ depends on m - n only
//   alibi_slopes(H): Press et al.'s head slopes; alibi_bias -> (H, T, Tk) = -slope_h·|i - j|
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

namespace statetrack::model {

enum class PositionalEncoding {
    kNone,        // NoPE: attention sees positions only through the causal mask
    kSinusoidal,  // Vaswani et al., added to the token embedding
    kLearned,     // absolute learned embedding of max_seq_len positions, added to the embedding
    kRope,        // rotary on q and k in every head (Su et al.)
    kAlibi,       // per-head linear distance bias on the attention scores (Press et al.)
};

// The config spellings: "none", "sinusoidal", "learned", "rope", "alibi".
const std::vector<std::string>& positional_encoding_names();
std::string positional_encoding_name(PositionalEncoding encoding);
// Throws std::invalid_argument naming the value and the choices.
PositionalEncoding parse_positional_encoding(const std::string& name);

// Rows start .. start+count-1 of the sinusoidal table of width dim (an odd dim ends with a sin).
torch::Tensor sinusoidal_table(int64_t start, int64_t count, int64_t dim,
                               const torch::TensorOptions& options);

struct RopeTables {
    torch::Tensor cos;  // (T, N/2)
    torch::Tensor sin;  // (T, N/2)
};

constexpr double kRopeBase = 10000.0;

// Angles for positions start .. start+count-1; head_dim must be even.
RopeTables rope_tables(int64_t start, int64_t count, int64_t head_dim,
                       const torch::TensorOptions& options, double base = kRopeBase);

// x: (…, T, N) with T and N/2 matching the tables -> the rotated x, same shape.
torch::Tensor rope_rotate(const torch::Tensor& x, const RopeTables& tables);

// Press et al.'s slopes: for H a power of two, slope_h = 2^(-8h/H), h = 1..H; otherwise the
// slopes for the largest power of two P < H followed by every other slope of 2P (the first
// H - P of them), as in the reference implementation.
std::vector<double> alibi_slopes(int64_t n_heads);

// (H, count, key_count): -slope_h·|i - j| for query position i = start + row and key position j
// = column. Causal attention masks j > i separately, so there this is -slope·(i - j).
torch::Tensor alibi_bias(const std::vector<double>& slopes, int64_t start, int64_t count,
                         int64_t key_count, const torch::TensorOptions& options);

}  // namespace statetrack::model
