// Rwkv7Config parsing and validation, and the factory's RWKV-7 entry points (see rwkv7_config.h
// for the keys and defaults).
#include "model/rwkv7_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/json_config.h"
#include "core/strict_json.h"
#include "model/rwkv7_init.h"

namespace statetrack::model {
namespace {

const std::vector<std::string> kAllowedKeys = {"type",
                                               "vocab_size",
                                               "n_layers",
                                               "d_model",
                                               "head_size",
                                               "dim_w",
                                               "dim_a",
                                               "dim_v",
                                               "dim_g",
                                               "transition",
                                               "extended_eigenvalues",
                                               "value_residual",
                                               "bonus",
                                               "decay_clamp"};

void check_lora_dim(const char* key, int64_t value) {
    if (value < 0) {
        throw std::invalid_argument(fmt::format(
            "rwkv7 config: '{}' = {} must be >= 1, or 0 for the default formula", key, value));
    }
}

}  // namespace

int64_t rwkv7_lora_dim(double factor, int64_t d_model) {
    // std::nearbyint under the default FE_TONEAREST mode rounds half to even, like Python.
    const double units = std::nearbyint(factor * std::sqrt(static_cast<double>(d_model)) / 32.0);
    return std::max<int64_t>(32, static_cast<int64_t>(units) * 32);
}

Rwkv7Config resolve_rwkv7_config(Rwkv7Config c) {
    if (c.vocab_size < 1) {
        throw std::invalid_argument(
            fmt::format("rwkv7 config: 'vocab_size' = {} must be >= 1", c.vocab_size));
    }
    if (c.n_layers < 1) {
        throw std::invalid_argument(
            fmt::format("rwkv7 config: 'n_layers' = {} must be >= 1", c.n_layers));
    }
    if (c.head_size != 16 && c.head_size != 32 && c.head_size != 64 && c.head_size != 128) {
        throw std::invalid_argument(fmt::format(
            "rwkv7 config: 'head_size' = {} is not supported (allowed: 16, 32, 64, 128)",
            c.head_size));
    }
    if (c.d_model < c.head_size || c.d_model % c.head_size != 0) {
        throw std::invalid_argument(
            fmt::format("rwkv7 config: 'd_model' = {} must be a positive multiple of head_size {}",
                        c.d_model, c.head_size));
    }
    check_lora_dim("dim_w", c.dim_w);
    check_lora_dim("dim_a", c.dim_a);
    check_lora_dim("dim_v", c.dim_v);
    check_lora_dim("dim_g", c.dim_g);
    c.dim_w = c.dim_w > 0 ? c.dim_w : rwkv7_lora_dim(2.5, c.d_model);
    c.dim_a = c.dim_a > 0 ? c.dim_a : rwkv7_lora_dim(2.5, c.d_model);
    c.dim_v = c.dim_v > 0 ? c.dim_v : rwkv7_lora_dim(1.7, c.d_model);
    c.dim_g = c.dim_g > 0 ? c.dim_g : rwkv7_lora_dim(5.0, c.d_model);
    return c;
}

Rwkv7Config rwkv7_config_from_json(const nlohmann::json& json) {
    const core::JsonConfigReader in(json, "rwkv7 config", kAllowedKeys);
    if (in.string("type", "") != "rwkv7") {
        in.fail("type", fmt::format("must be \"rwkv7\", got {}",
                                    in.has("type") ? in.required("type").dump() : "nothing"));
    }
    Rwkv7Config c;
    c.vocab_size = in.required_integer("vocab_size");
    c.n_layers = in.integer("n_layers", c.n_layers);
    c.d_model = in.integer("d_model", c.d_model);
    c.head_size = in.integer("head_size", c.head_size);
    c.dim_w = in.integer("dim_w", c.dim_w);
    c.dim_a = in.integer("dim_a", c.dim_a);
    c.dim_v = in.integer("dim_v", c.dim_v);
    c.dim_g = in.integer("dim_g", c.dim_g);
    c.diagonal_transition = in.choice("transition", "full", {"full", "diagonal"}) == "diagonal";
    c.extended_eigenvalues = in.boolean("extended_eigenvalues", c.extended_eigenvalues);
    c.value_residual = in.boolean("value_residual", c.value_residual);
    c.bonus = in.boolean("bonus", c.bonus);
    c.decay_clamp = in.boolean("decay_clamp", c.decay_clamp);
    return resolve_rwkv7_config(c);
}

nlohmann::json rwkv7_config_to_json(const Rwkv7Config& c) {
    return nlohmann::json{{"type", "rwkv7"},
                          {"vocab_size", c.vocab_size},
                          {"n_layers", c.n_layers},
                          {"d_model", c.d_model},
                          {"head_size", c.head_size},
                          {"dim_w", c.dim_w},
                          {"dim_a", c.dim_a},
                          {"dim_v", c.dim_v},
                          {"dim_g", c.dim_g},
                          {"transition", c.diagonal_transition ? "diagonal" : "full"},
                          {"extended_eigenvalues", c.extended_eigenvalues},
                          {"value_residual", c.value_residual},
                          {"bonus", c.bonus},
                          {"decay_clamp", c.decay_clamp}};
}

Rwkv7Config load_rwkv7_config(const std::string& path) {
    const nlohmann::json json = core::read_json_file(path);
    try {
        return rwkv7_config_from_json(json);
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(fmt::format("{}: {}", path, e.what()));
    }
}

SequenceModelPtr rwkv7_from_json(const nlohmann::json& config, uint64_t seed) {
    return make_rwkv7_model(rwkv7_config_from_json(config), seed).ptr();
}

int64_t rwkv7_width_quantum(const nlohmann::json& config) {
    return config.value("head_size", Rwkv7Config{}.head_size);
}

}  // namespace statetrack::model
