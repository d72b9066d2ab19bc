// Positional encodings (see positional_encoding.h).
#include "model/positional_encoding.h"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

#include "core/json_config.h"

namespace statetrack::model {
namespace {

const auto kFloat64Cpu = torch::TensorOptions().dtype(torch::kFloat64);

// Positions start .. start+count-1 as a float64 column (count, 1).
torch::Tensor position_column(int64_t start, int64_t count) {
    TORCH_CHECK(start >= 0 && count >= 0, "positions: start ", start, " and count ", count,
                " must be >= 0");
    return torch::arange(start, start + count, kFloat64Cpu).unsqueeze(1);
}

// base^(-2i/dim) for i = 0..pairs-1, float64 row (1, pairs).
torch::Tensor inverse_frequencies(int64_t pairs, int64_t dim, double base) {
    const torch::Tensor i = torch::arange(pairs, kFloat64Cpu);
    return torch::exp(i * (-2.0 * std::log(base) / static_cast<double>(dim))).unsqueeze(0);
}

bool is_power_of_two(int64_t n) { return n > 0 && (n & (n - 1)) == 0; }

// 2^(-8h/n) for h = 1..n (n a power of two).
std::vector<double> power_of_two_slopes(int64_t n) {
    std::vector<double> slopes;
    for (int64_t h = 1; h <= n; ++h) {
        slopes.push_back(std::exp2(-8.0 * static_cast<double>(h) / static_cast<double>(n)));
    }
    return slopes;
}

}  // namespace

const std::vector<std::string>& positional_encoding_names() {
    static const std::vector<std::string> names = {"none", "sinusoidal", "learned", "rope",
                                                   "alibi"};
    return names;
}

std::string positional_encoding_name(PositionalEncoding encoding) {
    return positional_encoding_names().at(static_cast<size_t>(encoding));
}

PositionalEncoding parse_positional_encoding(const std::string& name) {
    const std::vector<std::string>& names = positional_encoding_names();
    for (size_t i = 0; i < names.size(); ++i) {
        if (names[i] == name) {
            return static_cast<PositionalEncoding>(i);
        }
    }
    throw std::invalid_argument(
        fmt::format("positional encoding \"{}\" is not one of: {}", name, core::join_names(names)));
}

torch::Tensor sinusoidal_table(int64_t start, int64_t count, int64_t dim,
                               const torch::TensorOptions& options) {
    TORCH_CHECK(dim >= 1, "sinusoidal_table: dim ", dim, " must be >= 1");
    const int64_t pairs = (dim + 1) / 2;
    const torch::Tensor angles =
        position_column(start, count) * inverse_frequencies(pairs, dim, 10000.0);
    // Interleave: column 2i = sin, 2i+1 = cos; an odd width drops the last cos.
    const torch::Tensor table =
        torch::stack({torch::sin(angles), torch::cos(angles)}, 2).reshape({count, 2 * pairs});
    return table.slice(1, 0, dim).to(options);
}

RopeTables rope_tables(int64_t start, int64_t count, int64_t head_dim,
                       const torch::TensorOptions& options, double base) {
    TORCH_CHECK(head_dim >= 2 && head_dim % 2 == 0, "rope_tables: head size ", head_dim,
                " must be even");
    const torch::Tensor angles =
        position_column(start, count) * inverse_frequencies(head_dim / 2, head_dim, base);
    return {torch::cos(angles).to(options), torch::sin(angles).to(options)};
}

torch::Tensor rope_rotate(const torch::Tensor& x, const RopeTables& tables) {
    TORCH_CHECK(x.dim() >= 2 && x.size(-1) % 2 == 0, "rope_rotate: x must be (..., T, N), N even");
    const int64_t T = x.size(-2);
    const int64_t pairs = x.size(-1) / 2;
    TORCH_CHECK(tables.cos.sizes() == torch::IntArrayRef({T, pairs}) &&
                    tables.sin.sizes() == tables.cos.sizes(),
                "rope_rotate: tables must be (", T, ", ", pairs, "), got ", tables.cos.sizes());
    std::vector<int64_t> pair_shape(x.sizes().begin(), x.sizes().end() - 1);
    pair_shape.push_back(pairs);
    pair_shape.push_back(2);
    const torch::Tensor xp = x.reshape(pair_shape);
    const torch::Tensor even = xp.select(-1, 0);
    const torch::Tensor odd = xp.select(-1, 1);
    const torch::Tensor rotated = torch::stack(
        {even * tables.cos - odd * tables.sin, even * tables.sin + odd * tables.cos}, -1);
    return rotated.reshape(x.sizes());
}

std::vector<double> alibi_slopes(int64_t n_heads) {
    TORCH_CHECK(n_heads >= 1, "alibi_slopes: n_heads ", n_heads, " must be >= 1");
    if (is_power_of_two(n_heads)) {
        return power_of_two_slopes(n_heads);
    }
    int64_t closest = 1;
    while (closest * 2 < n_heads) {
        closest *= 2;
    }
    std::vector<double> slopes = power_of_two_slopes(closest);
    const std::vector<double> finer = alibi_slopes(2 * closest);
    for (int64_t i = 0; static_cast<int64_t>(slopes.size()) < n_heads; i += 2) {
        slopes.push_back(finer[static_cast<size_t>(i)]);
    }
    return slopes;
}

torch::Tensor alibi_bias(const std::vector<double>& slopes, int64_t start, int64_t count,
                         int64_t key_count, const torch::TensorOptions& options) {
    const torch::Tensor distance =
        (position_column(start, count) - torch::arange(key_count, kFloat64Cpu).unsqueeze(0)).abs();
    const torch::Tensor slope =
        torch::tensor(slopes, kFloat64Cpu).view({static_cast<int64_t>(slopes.size()), 1, 1});
    return (-slope * distance.unsqueeze(0)).to(options);
}

}  // namespace statetrack::model
