// The reference RWKV-7 initialisation (see rwkv7_init.h for every formula).
#include "model/rwkv7_init.h"

#include <fmt/format.h>

#include <cmath>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "automata/random.h"

namespace statetrack::model {
namespace {

using automata::Rng;

// Per-layer constants of the init formulas (rwkv7_init.h).
struct LayerGeometry {
    int64_t C = 0, N = 0, H = 0, layer = 0, n_layers = 0;
    double r0 = 0.0, r1 = 0.0;
};

LayerGeometry layer_geometry(const Rwkv7Config& config, int64_t layer) {
    LayerGeometry g;
    g.C = config.d_model;
    g.N = config.head_size;
    g.H = config.n_heads();
    g.layer = layer;
    g.n_layers = config.n_layers;
    g.r0 = config.n_layers > 1 ? static_cast<double>(layer) / (config.n_layers - 1) : 0.0;
    g.r1 = 1.0 - static_cast<double>(layer) / config.n_layers;
    return g;
}

torch::Tensor channels(int64_t C, const std::function<double(double)>& f) {
    std::vector<double> values(static_cast<size_t>(C));
    for (int64_t n = 0; n < C; ++n) {
        values[static_cast<size_t>(n)] = f(static_cast<double>(n));
    }
    return torch::tensor(values, torch::kFloat64);
}

// Standard normal matrix via Box-Muller over uniform_unit (identical on every machine).
torch::Tensor normal_matrix(int64_t rows, int64_t cols, Rng& rng) {
    std::vector<double> data(static_cast<size_t>(rows * cols));
    for (size_t i = 0; i < data.size(); i += 2) {
        const double radius = std::sqrt(-2.0 * std::log(1.0 - automata::uniform_unit(rng)));
        const double angle = 2.0 * M_PI * automata::uniform_unit(rng);
        data[i] = radius * std::cos(angle);
        if (i + 1 < data.size()) {
            data[i + 1] = radius * std::sin(angle);
        }
    }
    return torch::from_blob(data.data(), {rows, cols}, torch::kFloat64).clone();
}

// U(-bound, bound) entries from uniform_unit.
torch::Tensor uniform_matrix(int64_t rows, int64_t cols, double bound, Rng& rng) {
    std::vector<double> data(static_cast<size_t>(rows * cols));
    for (double& x : data) {
        x = bound * (2.0 * automata::uniform_unit(rng) - 1.0);
    }
    return torch::from_blob(data.data(), {rows, cols}, torch::kFloat64).clone();
}

// torch.nn.init.orthogonal_: QR of a normal matrix, signs fixed by diag(R), scaled by gain.
torch::Tensor orthogonal(int64_t rows, int64_t cols, double gain, Rng& rng) {
    const bool wide = rows < cols;
    torch::Tensor a = wide ? normal_matrix(cols, rows, rng) : normal_matrix(rows, cols, rng);
    auto [q, r] = torch::linalg_qr(a);
    q = q * torch::sign(torch::diagonal(r)).unsqueeze(0);
    return (wide ? q.t() : q) * gain;
}

// RWKV-LM's ortho_init for the LoRA second matrices: gain·√(rows/cols) when rows > cols.
torch::Tensor lora_orthogonal(int64_t rows, int64_t cols, Rng& rng) {
    const double boost = rows > cols ? std::sqrt(static_cast<double>(rows) / cols) : 1.0;
    return orthogonal(rows, cols, 0.1 * boost, rng);
}

// Per-channel formula parameters of a block (name without "blocks.<l>."); undefined if none.
torch::Tensor formula_value(const std::string& name, const LayerGeometry& g) {
    const int64_t C = g.C;
    const double half = (g.N - 1) / 2.0;
    const auto zigzag = [&](double n) {
        const double z = (std::fmod(n, static_cast<double>(g.N)) - half) / half;
        return z * std::abs(z);
    };
    const auto linear = [&](double n) { return n / (C - 1) - 0.5; };
    const auto mix = [&](double e) {
        return channels(C, [&](double n) { return 1.0 - std::pow(n / C, e); });
    };
    if (name == "att.x_r" || name == "att.x_g") {
        return mix(0.2 * g.r1);
    }
    if (name == "att.x_w" || name == "att.x_a") {
        return mix(0.9 * g.r1);
    }
    if (name == "att.x_k" || name == "att.x_v") {
        return mix(0.7 * g.r1);
    }
    if (name == "ffn.x_k") {
        return mix(std::pow(g.r1, 4));
    }
    if (name == "att.w0") {
        const double e = 1.0 + std::pow(g.r0, 0.3);
        return channels(C, [&](double n) {
            return -6.0 + 6.0 * std::pow(n / (C - 1), e) + 0.5 + 2.5 * zigzag(n);
        });
    }
    if (name == "att.a0") {
        return channels(C, [&](double n) { return -0.19 + 0.3 * zigzag(n) + 0.4 * linear(n); });
    }
    if (name == "att.v0") {
        return channels(C, [&](double n) { return 0.73 - 0.4 * linear(n); });
    }
    if (name == "att.k_k") {
        return channels(C, [&](double n) { return 0.71 - 0.1 * linear(n); });
    }
    if (name == "att.k_a") {
        return torch::full({C}, 1.02, torch::kFloat64);
    }
    if (name == "att.r_k") {
        return torch::full({g.H, g.N}, -0.04, torch::kFloat64);
    }
    if (name == "att.ln_x.weight") {
        const double scale = std::pow(static_cast<double>(1 + g.layer) / g.n_layers, 0.7);
        return torch::full({C}, scale, torch::kFloat64);
    }
    return {};
}

bool is_one_of(const std::string& name, std::initializer_list<const char*> names) {
    for (const char* n : names) {
        if (name == n) {
            return true;
        }
    }
    return false;
}

// Value of one block parameter (name without "blocks.<l>."), float64, `shape` = rows x cols.
torch::Tensor block_value(const std::string& name, torch::IntArrayRef shape, const LayerGeometry& g,
                          Rng& rng) {
    torch::Tensor value = formula_value(name, g);
    if (value.defined()) {
        return value;
    }
    if (is_one_of(name,
                  {"att.w1", "att.a1", "att.v1", "att.g1", "att.output.weight", "att.ln_x.bias",
                   "ffn.value.weight", "ln0.bias", "ln1.bias", "ln2.bias"})) {
        return torch::zeros(shape, torch::kFloat64);
    }
    if (is_one_of(name, {"ln0.weight", "ln1.weight", "ln2.weight"})) {
        return torch::ones(shape, torch::kFloat64);
    }
    if (is_one_of(name, {"att.w2", "att.a2", "att.v2", "att.g2"})) {
        return lora_orthogonal(shape[0], shape[1], rng);
    }
    if (is_one_of(name, {"att.receptance.weight", "att.value.weight", "ffn.key.weight"})) {
        return orthogonal(shape[0], shape[1], 1.0, rng);
    }
    if (name == "att.key.weight") {
        return orthogonal(shape[0], shape[1], 0.1, rng);
    }
    throw std::logic_error(
        fmt::format("rwkv7_initialize: no init rule for block parameter '{}'", name));
}

torch::Tensor parameter_value(const std::string& name, torch::IntArrayRef shape,
                              const Rwkv7Config& config, Rng& rng) {
    const int64_t V = config.vocab_size;
    const int64_t C = config.d_model;
    if (name == "emb.weight") {
        return uniform_matrix(shape[0], shape[1], 1e-4, rng);
    }
    if (name == "head.weight") {
        const double gain = V > C ? 0.5 * std::sqrt(static_cast<double>(V) / C) : 0.5;
        return orthogonal(shape[0], shape[1], gain, rng);
    }
    if (name == "ln_out.weight") {
        return torch::ones(shape, torch::kFloat64);
    }
    if (name == "ln_out.bias") {
        return torch::zeros(shape, torch::kFloat64);
    }
    const std::string prefix = "blocks.";
    if (name.rfind(prefix, 0) != 0) {
        throw std::logic_error(fmt::format("rwkv7_initialize: no init rule for '{}'", name));
    }
    const size_t dot = name.find('.', prefix.size());
    const int64_t layer = std::stoll(name.substr(prefix.size(), dot - prefix.size()));
    return block_value(name.substr(dot + 1), shape, layer_geometry(config, layer), rng);
}

}  // namespace

void rwkv7_initialize(Rwkv7ModelImpl& model, uint64_t seed) {
    torch::NoGradGuard no_grad;
    Rng rng(seed);
    for (const auto& item : model.named_parameters()) {
        torch::Tensor p = item.value();
        const torch::Tensor value = parameter_value(item.key(), p.sizes(), model.config(), rng);
        p.copy_(value.reshape(p.sizes()));
    }
}

Rwkv7Model make_rwkv7_model(const Rwkv7Config& config, uint64_t seed) {
    Rwkv7Model model(config);
    rwkv7_initialize(*model, seed);
    return model;
}

}  // namespace statetrack::model
