// MambaConfig parsing and validation, and the factory's Mamba entry points (see mamba_config.h
// for the keys and defaults).
#include "model/mamba_config.h"

#include <fmt/format.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "core/json_config.h"
#include "model/mamba_model.h"

namespace statetrack::model {
namespace {

const std::vector<std::string> kAllowedKeys = {"type",    "vocab_size", "n_layers",
                                               "d_model", "d_state",    "expand",
                                               "d_conv",  "dt_rank",    "negative_eigenvalues"};

void check_at_least(const char* key, int64_t value, int64_t minimum) {
    if (value < minimum) {
        throw std::invalid_argument(
            fmt::format("mamba config: '{}' = {} must be >= {}", key, value, minimum));
    }
}

}  // namespace

MambaConfig resolve_mamba_config(MambaConfig c) {
    check_at_least("vocab_size", c.vocab_size, 1);
    check_at_least("n_layers", c.n_layers, 1);
    check_at_least("d_model", c.d_model, 1);
    check_at_least("d_state", c.d_state, 1);
    check_at_least("expand", c.expand, 1);
    check_at_least("d_conv", c.d_conv, 1);
    if (c.dt_rank < 0) {
        throw std::invalid_argument(fmt::format(
            "mamba config: 'dt_rank' = {} must be >= 1, or 0 for ceil(d_model / 16)", c.dt_rank));
    }
    c.dt_rank = c.dt_rank > 0 ? c.dt_rank : (c.d_model + 15) / 16;
    return c;
}

MambaConfig mamba_config_from_json(const nlohmann::json& json) {
    const core::JsonConfigReader in(json, "mamba config", kAllowedKeys);
    const std::string type = in.string("type", "");
    if (type != "mamba") {
        in.fail("type", fmt::format("must be \"mamba\", got {}",
                                    in.has("type") ? in.required("type").dump() : "nothing"));
    }
    MambaConfig c;
    c.vocab_size = in.required_integer("vocab_size");
    c.n_layers = in.integer("n_layers", c.n_layers);
    c.d_model = in.integer("d_model", c.d_model);
    c.d_state = in.integer("d_state", c.d_state);
    c.expand = in.integer("expand", c.expand);
    c.d_conv = in.integer("d_conv", c.d_conv);
    c.dt_rank = in.integer("dt_rank", c.dt_rank);
    c.negative_eigenvalues = in.boolean("negative_eigenvalues", c.negative_eigenvalues);
    return resolve_mamba_config(c);
}

nlohmann::json mamba_config_to_json(const MambaConfig& c) {
    return nlohmann::json{{"type", "mamba"},
                          {"vocab_size", c.vocab_size},
                          {"n_layers", c.n_layers},
                          {"d_model", c.d_model},
                          {"d_state", c.d_state},
                          {"expand", c.expand},
                          {"d_conv", c.d_conv},
                          {"dt_rank", c.dt_rank},
                          {"negative_eigenvalues", c.negative_eigenvalues}};
}

SequenceModelPtr mamba_from_json(const nlohmann::json& config, uint64_t seed) {
    return make_mamba_model(mamba_config_from_json(config), seed).ptr();
}

int64_t mamba_width_quantum(const nlohmann::json& /*config*/) { return 1; }

}  // namespace statetrack::model
