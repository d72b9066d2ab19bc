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

}  // namespace

NamedTensors rwkv7_named_tensors(const Rwkv7ModelImpl& model) {
    NamedTensors out;
    for (const auto& item : model.named_parameters()) {
        out.emplace(item.key(), item.value());
    }
    return out;
}

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
    NamedTensors expected = rwkv7_named_tensors(model);
    // Layer 0's value-residual tensors are never used (v_first is its own v), and RWKV-LM's
    // official exports leave them out: when absent they keep their initial values.
    for (const char* unused : {"blocks.0.att.v0", "blocks.0.att.v1", "blocks.0.att.v2"}) {
        if (tensors.count(unused) == 0) {
            expected.erase(unused);
        }
    }
    for (const auto& [name, param] : expected) {
        const auto it = tensors.find(name);
        if (it == tensors.end()) {
            throw_safetensors_error(source, fmt::format("missing tensor '{}'", name));
        }
        if (it->second.sizes() != param.sizes()) {
            throw_safetensors_error(source, fmt::format("tensor '{}' has shape {}, expected {}",
                                                        name, fmt::streamed(it->second.sizes()),
                                                        fmt::streamed(param.sizes())));
        }
        const torch::ScalarType type = it->second.scalar_type();
        if (type != torch::kFloat32 && type != torch::kFloat64 && type != torch::kBFloat16 &&
            type != torch::kFloat16) {
            throw_safetensors_error(
                source, fmt::format("tensor '{}' has dtype {} (supported: F32, F64, BF16, F16)",
                                    name, c10::toString(type)));
        }
    }
    for (const auto& item : tensors) {
        if (expected.count(item.first) == 0) {
            throw_safetensors_error(source, fmt::format("unexpected tensor '{}'", item.first));
        }
    }
    torch::NoGradGuard no_grad;
    for (const auto& [name, param] : expected) {
        torch::Tensor target = param;
        target.copy_(tensors.at(name));
    }
}

void save_rwkv7_safetensors(const Rwkv7ModelImpl& model, const std::string& path) {
    save_safetensors(path, rwkv7_named_tensors(model), {{"format", "pt"}});
}

Rwkv7Model load_rwkv7_safetensors(const std::string& path, torch::ScalarType dtype) {
    const SafetensorsContents contents = load_safetensors(path);
    Rwkv7Model model(infer_rwkv7_config(contents.tensors, path));
    model->to(dtype);
    load_rwkv7_tensors(*model, contents.tensors, path);
    return model;
}

}  // namespace statetrack::model
