// TrainingState <-> JSON (see training_state.h).
#include "harness/runs/training_state.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <type_traits>

namespace statetrack::harness {
namespace {

template <typename T>
T get(const nlohmann::json& j, const char* key, const std::string& source) {
    const auto it = j.find(key);
    if (it == j.end()) {
        throw std::runtime_error(fmt::format("{}: missing key '{}'", source, key));
    }
    if constexpr (std::is_floating_point_v<T>) {
        if (it->is_null()) {
            return std::numeric_limits<T>::quiet_NaN();
        }
    }
    // nlohmann converts a float to an integer without a range check (undefined behaviour past
    // the range, found by fuzzing): an integer key takes an integer in int64's range only.
    if constexpr (std::is_integral_v<T>) {
        if (!it->is_number_integer() ||
            (it->is_number_unsigned() &&
             it->template get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))) {
            throw std::runtime_error(fmt::format("{}: bad value for '{}': {} (expected an integer)",
                                                 source, key, it->dump().substr(0, 40)));
        }
    }
    try {
        return it->get<T>();
    } catch (const nlohmann::json::exception&) {
        throw std::runtime_error(
            fmt::format("{}: bad value for '{}': {}", source, key, it->dump()));
    }
}

}  // namespace

nlohmann::json to_json(const TrainingState& s) {
    nlohmann::json curve = nlohmann::json::array();
    for (const CurvePoint& p : s.curve) {
        curve.push_back(to_json(p));
    }
    return {{"step", s.step},
            {"examples", s.examples},
            {"tokens", s.tokens},
            {"skipped_non_finite", s.skipped_non_finite},
            {"consecutive_non_finite", s.consecutive_non_finite},
            {"window_loss_sum", s.window_loss_sum},
            {"window_steps", s.window_steps},
            {"last_lr", s.last_lr},
            {"train_wall_seconds", s.train_wall_seconds},
            {"curve", curve},
            {"seconds", to_json(s.seconds)},
            {"started_at", s.started_at}};
}

TrainingState training_state_from_json(const nlohmann::json& j, const std::string& source) {
    if (!j.is_object()) {
        throw std::runtime_error(fmt::format("{}: training state must be a JSON object", source));
    }
    TrainingState s;
    s.step = get<int64_t>(j, "step", source);
    s.examples = get<int64_t>(j, "examples", source);
    s.tokens = get<int64_t>(j, "tokens", source);
    s.skipped_non_finite = get<int64_t>(j, "skipped_non_finite", source);
    s.consecutive_non_finite = get<int64_t>(j, "consecutive_non_finite", source);
    s.window_loss_sum = get<double>(j, "window_loss_sum", source);
    s.window_steps = get<int64_t>(j, "window_steps", source);
    s.last_lr = get<double>(j, "last_lr", source);
    s.train_wall_seconds = get<double>(j, "train_wall_seconds", source);
    s.started_at = get<std::string>(j, "started_at", source);
    const nlohmann::json seconds = get<nlohmann::json>(j, "seconds", source);
    s.seconds.data = get<double>(seconds, "data", source);
    s.seconds.train = get<double>(seconds, "train", source);
    s.seconds.eval = get<double>(seconds, "eval", source);
    s.seconds.eval_step_mode = get<double>(seconds, "eval_step_mode", source);
    s.seconds.checkpoint = get<double>(seconds, "checkpoint", source);
    s.seconds.total = get<double>(seconds, "total", source);
    for (const nlohmann::json& p : get<nlohmann::json>(j, "curve", source)) {
        CurvePoint point;
        point.step = get<int64_t>(p, "step", source);
        point.loss = get<double>(p, "loss", source);
        point.accuracy = get<double>(p, "accuracy", source);
        // Checkpoints written before the curve had sequence accuracy resume with it unknown.
        point.sequence_accuracy = p.contains("sequence_accuracy")
                                      ? get<double>(p, "sequence_accuracy", source)
                                      : std::numeric_limits<double>::quiet_NaN();
        point.lr = get<double>(p, "lr", source);
        point.seconds = get<double>(p, "seconds", source);
        s.curve.push_back(point);
    }
    return s;
}

}  // namespace statetrack::harness
