// LstmConfig parsing and validation, and the factory's LSTM entry points (see lstm_config.h).
#include "model/lstm_config.h"

#include <fmt/format.h>

#include "core/json_config.h"
#include "model/lstm_model.h"
#include "model/seeded_init.h"

namespace statetrack::model {

LstmConfig lstm_config_from_json(const nlohmann::json& json) {
    const core::JsonConfigReader in(json, "lstm config",
                                    {"type", "vocab_size", "n_layers", "d_model"});
    if (in.string("type", "") != "lstm") {
        in.fail("type", "must be \"lstm\"");
    }
    LstmConfig c;
    c.vocab_size = in.required_integer("vocab_size");
    c.n_layers = in.integer("n_layers", c.n_layers);
    c.d_model = in.integer("d_model", c.d_model);
    if (c.vocab_size < 1) {
        in.fail("vocab_size", fmt::format("= {} must be >= 1", c.vocab_size));
    }
    if (c.n_layers < 1) {
        in.fail("n_layers", fmt::format("= {} must be >= 1", c.n_layers));
    }
    if (c.d_model < 1) {
        in.fail("d_model", fmt::format("= {} must be >= 1", c.d_model));
    }
    return c;
}

nlohmann::json lstm_config_to_json(const LstmConfig& c) {
    return {{"type", "lstm"},
            {"vocab_size", c.vocab_size},
            {"n_layers", c.n_layers},
            {"d_model", c.d_model}};
}

SequenceModelPtr lstm_from_json(const nlohmann::json& config, uint64_t seed) {
    const LstmConfig c = lstm_config_from_json(config);
    return with_seeded_torch_rng(seed, [&] { return LstmModel(c).ptr(); });
}

int64_t lstm_width_quantum(const nlohmann::json& /*config*/) { return 1; }

}  // namespace statetrack::model
