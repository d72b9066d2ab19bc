// Task spec parsing. See task_spec.h for the grammar.
#include "tasks/task_spec.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>

#include "core/parse_number.h"

namespace statetrack::tasks {

namespace {

bool valid_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

TaskSpec parse_task_spec(std::string_view text) {
    if (text.empty()) {
        throw std::invalid_argument("task spec is empty (expected NAME or NAME:ARGUMENT)");
    }
    const size_t colon = text.find(':');
    TaskSpec spec;
    spec.name = std::string(text.substr(0, colon));
    if (spec.name.empty()) {
        throw std::invalid_argument(fmt::format("task spec '{}' has no name before ':'", text));
    }
    for (size_t i = 0; i < spec.name.size(); ++i) {
        if (!valid_name_char(spec.name[i])) {
            throw std::invalid_argument(fmt::format(
                "task spec '{}': character '{}' at position {} is not allowed in a task name "
                "(use a-z, 0-9, _)",
                text, spec.name[i], i));
        }
    }
    if (colon != std::string_view::npos) {
        spec.argument = std::string(text.substr(colon + 1));
        if (spec.argument->empty()) {
            throw std::invalid_argument(fmt::format("task spec '{}': nothing after ':'", text));
        }
    }
    return spec;
}

SpecParams::SpecParams(std::string spec, const std::optional<std::string>& argument,
                       std::vector<std::string> allowed)
    : spec_(std::move(spec)) {
    if (!argument) {
        return;
    }
    std::string_view rest = *argument;
    while (true) {
        const size_t comma = rest.find(',');
        const std::string_view item = rest.substr(0, comma);
        const size_t eq = item.find('=');
        if (eq == std::string_view::npos || eq == 0 || eq + 1 == item.size()) {
            throw std::invalid_argument(
                fmt::format("task spec '{}': parameter '{}' is not key=value (keys: {})", spec_,
                            item, fmt::join(allowed, ", ")));
        }
        std::string key(item.substr(0, eq));
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
            throw std::invalid_argument(fmt::format(
                "task spec '{}': unknown parameter '{}' (valid: {})", spec_, key,
                allowed.empty() ? "none" : fmt::format("{}", fmt::join(allowed, ", "))));
        }
        if (find(key)) {
            throw std::invalid_argument(
                fmt::format("task spec '{}': parameter '{}' given twice", spec_, key));
        }
        values_.emplace_back(std::move(key), std::string(item.substr(eq + 1)));
        if (comma == std::string_view::npos) {
            break;
        }
        rest = rest.substr(comma + 1);
    }
}

const std::string* SpecParams::find(std::string_view key) const {
    for (const auto& [k, v] : values_) {
        if (k == key) {
            return &v;
        }
    }
    return nullptr;
}

bool SpecParams::has(std::string_view key) const { return find(key) != nullptr; }

int64_t SpecParams::get_int(std::string_view key, int64_t fallback, int64_t min,
                            int64_t max) const {
    const std::string* text = find(key);
    if (!text) {
        return fallback;
    }
    const std::optional<int64_t> value = core::parse_number<int64_t>(*text);
    if (!value) {
        throw std::invalid_argument(
            fmt::format("task spec '{}': {}={} is not an integer", spec_, key, *text));
    }
    if (*value < min || *value > max) {
        throw std::invalid_argument(
            fmt::format("task spec '{}': {}={} is outside [{}, {}]", spec_, key, *value, min, max));
    }
    return *value;
}

double SpecParams::get_double(std::string_view key, double fallback) const {
    const std::string* text = find(key);
    if (!text) {
        return fallback;
    }
    const std::optional<double> value = core::parse_number<double>(*text);
    if (!value || !std::isfinite(*value)) {
        throw std::invalid_argument(
            fmt::format("task spec '{}': {}={} is not a finite number", spec_, key, *text));
    }
    return *value;
}

std::string SpecParams::get_choice(std::string_view key, std::string fallback,
                                   const std::vector<std::string>& choices) const {
    const std::string* text = find(key);
    if (!text) {
        return fallback;
    }
    if (std::find(choices.begin(), choices.end(), *text) == choices.end()) {
        throw std::invalid_argument(fmt::format("task spec '{}': {}={} is not one of: {}", spec_,
                                                key, *text, fmt::join(choices, ", ")));
    }
    return *text;
}

}  // namespace statetrack::tasks
