// SequenceModel defaults (see sequence_model.h).
#include "model/sequence_model.h"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <stdexcept>

namespace statetrack::model {

std::unique_ptr<StepState> SequenceModel::start_state(int64_t /*batch_size*/) const {
    throw std::invalid_argument(fmt::format("{}: this model has no step mode", type()));
}

torch::Tensor SequenceModel::step_logits(const torch::Tensor& /*tokens*/, StepState& /*state*/) {
    throw std::invalid_argument(fmt::format("{}: this model has no step mode", type()));
}

int64_t SequenceModel::state_size(int64_t /*seq_len*/) const {
    return has_step_mode() ? start_state(1)->numel_per_sequence() : 0;
}

ModelDescription SequenceModel::describe(int64_t state_length) const {
    ModelDescription d;
    d.json = {{"type", type()},
              {"config", config_json()},
              {"parameters", parameter_count()},
              {"causal", is_causal()},
              {"step_mode", has_step_mode()},
              {"state_length", state_length},
              {"state_floats", state_size(state_length)}};
    d.text = fmt::format(
        "{}: {}\nparameters: {}\nstate after {} tokens: {} floats per sequence{}\n",
        d.json["type"].get<std::string>(), d.json["config"].dump(),
        d.json["parameters"].get<int64_t>(), state_length, d.json["state_floats"].get<int64_t>(),
        d.json["step_mode"].get<bool>() ? "" : " (no step mode)");
    return d;
}

std::vector<ParamGroup> SequenceModel::param_groups() const {
    std::vector<ParamGroup> groups(2);
    groups[0].name = "decay";
    groups[0].weight_decay = true;
    groups[1].name = "no_decay";
    for (const auto& item : named_parameters()) {
        const bool decay =
            squeezed_dims(item.value()) >= 2 && item.key().find(".weight") != std::string::npos;
        ParamGroup& group = groups[decay ? 0 : 1];
        group.param_names.push_back(item.key());
        group.params.push_back(item.value());
    }
    return groups;
}

int64_t SequenceModel::parameter_count() const {
    int64_t total = 0;
    for (const torch::Tensor& p : parameters()) {
        total += p.numel();
    }
    return total;
}

torch::TensorOptions SequenceModel::options() const {
    const std::vector<torch::Tensor> params = parameters();
    if (params.empty()) {
        return torch::TensorOptions().dtype(torch::kFloat32);
    }
    return params.front().options();
}

void check_model_tokens(const torch::Tensor& tokens, int64_t dims, int64_t vocab_size,
                        const std::string& who) {
    if (!tokens.defined() || tokens.dim() != dims || tokens.scalar_type() != torch::kLong ||
        tokens.numel() == 0) {
        throw std::invalid_argument(
            fmt::format("{}: tokens must be a non-empty int64 tensor of shape {}, got {}", who,
                        dims == 2 ? "(B, T)" : "(B)", describe_tensor(tokens)));
    }
    int64_t lo = 0;
    int64_t hi = 0;
    if (tokens.device().is_cpu() && tokens.is_contiguous()) {  // no reduction ops per step
        const int64_t* id = tokens.data_ptr<int64_t>();
        lo = hi = id[0];
        for (int64_t i = 1; i < tokens.numel(); ++i) {
            lo = std::min(lo, id[i]);
            hi = std::max(hi, id[i]);
        }
    } else {
        lo = tokens.min().item<int64_t>();
        hi = tokens.max().item<int64_t>();
    }
    if (lo < 0 || hi >= vocab_size) {
        throw std::invalid_argument(fmt::format("{}: token {} is outside the vocabulary [0, {})",
                                                who, lo < 0 ? lo : hi, vocab_size));
    }
}

std::string describe_tensor(const torch::Tensor& t) {
    return t.defined()
               ? fmt::format("{} {}", fmt::streamed(t.sizes()), c10::toString(t.scalar_type()))
               : std::string("an undefined tensor");
}

void check_state_tensor(const torch::Tensor& t, const std::vector<int64_t>& expected,
                        torch::ScalarType dtype, const std::string& who, const std::string& what) {
    if (!t.defined() || t.sizes() != torch::IntArrayRef(expected) || t.scalar_type() != dtype) {
        throw std::invalid_argument(fmt::format("{}: {} must be {} {}, got {}", who, what,
                                                fmt::streamed(torch::IntArrayRef(expected)),
                                                c10::toString(dtype), describe_tensor(t)));
    }
}

int64_t squeezed_dims(const torch::Tensor& p) {
    int64_t dims = 0;
    for (const int64_t size : p.sizes()) {
        dims += size > 1 ? 1 : 0;
    }
    return dims;
}

}  // namespace statetrack::model
