// RWKV-7 safetensors import/export (see rwkv7_weights.h).
#include "model/rwkv7_weights.h"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace statetrack::model {
namespace {

const torch::Tensor& require(const NamedTensors& tensors, const std::string& name, int64_t dims,
                             const std::string& source) {
    const auto it = tensors.find(name);
    if (it == tensors.end()) {
        throw_safetensors_error(source, fmt::format("missing tensor '{}'", name));
    }
    if (it->second.dim() != dims) {
        throw_safetensors_error(
            source, fmt::format("tensor '{}' has shape {}, expected {} dimensions", name,
                                fmt::streamed(it->second.sizes()), dims));
    }
    return it->second;
}

// 1 + the largest l in the names "blocks.<l>.…"; 0 when there are none.
int64_t count_layers(const NamedTensors& tensors, const std::string& source) {
    const std::string prefix = "blocks.";
    int64_t layers = 0;
    for (const auto& item : tensors) {
        const std::string& name = item.first;
        if (name.rfind(prefix, 0) != 0) {
            continue;
        }
        const size_t dot = name.find('.', prefix.size());
        const std::string index = name.substr(prefix.size(), dot - prefix.size());
        if (dot == std::string::npos || index.empty() || index.size() > 6 ||
            !std::all_of(index.begin(), index.end(),
                         [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
            throw_safetensors_error(source, fmt::format("unexpected tensor '{}'", name));
        }
        layers = std::max<int64_t>(layers, std::stoll(index) + 1);
    }
    return layers;
}

// The model of `config` in `dtype` on the CPU (no initialisation) holding `tensors`.
Rwkv7Model rwkv7_with_tensors(const Rwkv7Config& config, const NamedTensors& tensors,
                              const std::string& source, torch::ScalarType dtype) {
    Rwkv7Model model(config);
    model->to(dtype);
    load_rwkv7_tensors(*model, tensors, source);
    return model;
}

}  // namespace

NamedTensors rwkv7_named_tensors(const Rwkv7ModelImpl& model) { return module_parameters(model); }

Rwkv7Config infer_rwkv7_config(const NamedTensors& tensors, const std::string& source) {
    const torch::Tensor& emb = require(tensors, "emb.weight", 2, source);
    Rwkv7Config c;
    c.vocab_size = emb.size(0);
    c.d_model = emb.size(1);
    c.n_layers = count_layers(tensors, source);
    if (c.n_layers == 0) {
        throw_safetensors_error(source, "no 'blocks.<l>.' tensors: not an RWKV-7 model");
    }
    for (int64_t l = 0; l < c.n_layers; ++l) {  // before a model of n_layers is allocated
        require(tensors, fmt::format("blocks.{}.att.w0", l), 3, source);
    }
    const torch::Tensor& r_k = require(tensors, "blocks.0.att.r_k", 2, source);
    c.head_size = r_k.size(1);
    if (r_k.size(0) * r_k.size(1) != c.d_model) {
        throw_safetensors_error(
            source, fmt::format("tensor 'blocks.0.att.r_k' has shape {}, expected (H, N) with "
                                "H·N = d_model {}",
                                fmt::streamed(r_k.sizes()), c.d_model));
    }
    c.dim_w = require(tensors, "blocks.0.att.w1", 2, source).size(1);
    c.dim_a = require(tensors, "blocks.0.att.a1", 2, source).size(1);
    // Layer 0 has no value residual: RWKV-LM's exports often drop its v0, v1, v2 (see below).
    if (tensors.count("blocks.0.att.v1") != 0 || c.n_layers == 1) {
        c.dim_v = tensors.count("blocks.0.att.v1") != 0
                      ? require(tensors, "blocks.0.att.v1", 2, source).size(1)
                      : 0;
    } else {
        c.dim_v = require(tensors, "blocks.1.att.v1", 2, source).size(1);
    }
    c.dim_g = require(tensors, "blocks.0.att.g1", 2, source).size(1);
    try {
        return resolve_rwkv7_config(c);
    } catch (const std::invalid_argument& e) {
        throw_safetensors_error(source,
                                fmt::format("inferred architecture is invalid: {}", e.what()));
    }
}

void load_rwkv7_tensors(Rwkv7ModelImpl& model, const NamedTensors& tensors,
                        const std::string& source) {
    // Layer 0's value-residual tensors are never used (v_first is its own v), and RWKV-LM's
    // official exports leave them out: when absent they keep their initial values.
    load_module_parameters(model, tensors, source,
                           {"blocks.0.att.v0", "blocks.0.att.v1", "blocks.0.att.v2"});
}

void save_rwkv7_safetensors(const Rwkv7ModelImpl& model, const std::string& path) {
    save_safetensors(path, rwkv7_named_tensors(model), {{"format", "pt"}});
}

Rwkv7Model load_rwkv7_safetensors(const std::string& path, torch::ScalarType dtype) {
    const SafetensorsContents contents = load_safetensors(path);
    return rwkv7_with_tensors(infer_rwkv7_config(contents.tensors, path), contents.tensors, path,
                              dtype);
}

nlohmann::json rwkv7_config_json_from_tensors(const NamedTensors& tensors,
                                              const std::string& source) {
    return rwkv7_config_to_json(infer_rwkv7_config(tensors, source));
}

SequenceModelPtr rwkv7_from_tensors(const nlohmann::json& config, const NamedTensors& tensors,
                                    const std::string& source, torch::ScalarType dtype) {
    return rwkv7_with_tensors(rwkv7_config_from_json(config), tensors, source, dtype).ptr();
}

}  // namespace statetrack::model
