// TransformerConfig parsing and validation, and the factory's Transformer entry points (see
// transformer_config.h for the keys and defaults).
#include "model/transformer_config.h"

#include <fmt/format.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "core/json_config.h"
#include "model/transformer_init.h"

namespace statetrack::model {
namespace {

constexpr const char* kWhat = "transformer config";

const std::vector<std::string> kAllowedKeys = {"type",        "vocab_size", "n_layers",   "d_model",
                                               "n_heads",     "d_ff",       "positional", "causal",
                                               "max_seq_len", "dropout"};

[[noreturn]] void reject(const std::string& key, const std::string& message) {
    throw std::invalid_argument(fmt::format("{}: '{}' {}", kWhat, key, message));
}

void check_at_least(const char* key, int64_t value, int64_t minimum) {
    if (value < minimum) {
        reject(key, fmt::format("= {} must be >= {}", value, minimum));
    }
}

}  // namespace

TransformerConfig resolve_transformer_config(TransformerConfig c) {
    check_at_least("vocab_size", c.vocab_size, 1);
    check_at_least("n_layers", c.n_layers, 1);
    check_at_least("n_heads", c.n_heads, 1);
    check_at_least("d_ff", c.d_ff, 0);
    check_at_least("max_seq_len", c.max_seq_len, 1);
    if (c.d_model < c.n_heads || c.d_model % c.n_heads != 0) {
        reject("d_model", fmt::format("= {} must be a positive multiple of n_heads = {}", c.d_model,
                                      c.n_heads));
    }
    if (c.positional == PositionalEncoding::kRope && c.head_size() % 2 != 0) {
        reject("d_model", fmt::format("= {} with n_heads = {} gives head size {}; \"rope\" needs "
                                      "an even head size (d_model a multiple of {})",
                                      c.d_model, c.n_heads, c.head_size(), 2 * c.n_heads));
    }
    if (!(c.dropout >= 0.0 && c.dropout < 1.0)) {
        reject("dropout", fmt::format("= {} must be in [0, 1)", c.dropout));
    }
    c.d_ff = c.d_ff > 0 ? c.d_ff : 4 * c.d_model;
    return c;
}

TransformerConfig transformer_config_from_json(const nlohmann::json& json) {
    const core::JsonConfigReader in(json, kWhat, kAllowedKeys);
    const std::string type = in.string("type", "");
    if (type != "transformer") {
        in.fail("type", fmt::format("must be \"transformer\", got {}",
                                    in.has("type") ? in.required("type").dump() : "nothing"));
    }
    TransformerConfig c;
    c.vocab_size = in.required_integer("vocab_size");
    c.n_layers = in.integer("n_layers", c.n_layers);
    c.d_model = in.integer("d_model", c.d_model);
    c.n_heads = in.integer("n_heads", c.n_heads);
    c.d_ff = in.integer("d_ff", c.d_ff);
    c.positional = parse_positional_encoding(in.choice(
        "positional", positional_encoding_name(c.positional), positional_encoding_names()));
    c.causal = in.boolean("causal", c.causal);
    c.max_seq_len = in.integer("max_seq_len", c.max_seq_len);
    c.dropout = in.number("dropout", c.dropout);
    return resolve_transformer_config(c);
}

nlohmann::json transformer_config_to_json(const TransformerConfig& c) {
    return nlohmann::json{{"type", "transformer"},
                          {"vocab_size", c.vocab_size},
                          {"n_layers", c.n_layers},
                          {"d_model", c.d_model},
                          {"n_heads", c.n_heads},
                          {"d_ff", c.d_ff},
                          {"positional", positional_encoding_name(c.positional)},
                          {"causal", c.causal},
                          {"max_seq_len", c.max_seq_len},
                          {"dropout", c.dropout}};
}

SequenceModelPtr transformer_from_json(const nlohmann::json& config, uint64_t seed) {
    return make_transformer_model(transformer_config_from_json(config), seed).ptr();
}

int64_t transformer_width_quantum(const nlohmann::json& json) {
    const core::JsonConfigReader in(json, kWhat, kAllowedKeys);
    const TransformerConfig defaults;
    const int64_t n_heads = in.integer("n_heads", defaults.n_heads);
    check_at_least("n_heads", n_heads, 1);
    const std::string positional = in.choice(
        "positional", positional_encoding_name(defaults.positional), positional_encoding_names());
    return parse_positional_encoding(positional) == PositionalEncoding::kRope ? 2 * n_heads
                                                                              : n_heads;
}

}  // namespace statetrack::model
