// Dfa <-> JSON with field-naming errors. See dfa_json.h for the format and the contract.
#include "automata/dfa_json.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "core/strict_json.h"

namespace statetrack::automata {
namespace {

using nlohmann::json;

constexpr const char* kAllowedKeys = "alphabet, states, start, accept, transitions";

class Reader {
  public:
    Reader(std::string prefix, bool complete_with_sink)
        : prefix_(std::move(prefix)), complete_with_sink_(complete_with_sink) {}

    Dfa read(const json& j) {
        if (!j.is_object()) {
            fail("", fmt::format("expected a JSON object at the top level, got {}", j.type_name()));
        }
        for (const auto& item : j.items()) {
            const std::string& key = item.key();
            if (key != "alphabet" && key != "states" && key != "start" && key != "accept" &&
                key != "transitions") {
                fail("", fmt::format("unknown key '{}' (allowed keys: {})", key, kAllowedKeys));
            }
        }
        alphabet_ = Alphabet(string_list(required(j, "alphabet"), "alphabet"));
        states_ = string_list(required(j, "states"), "states");
        for (size_t q = 0; q < states_.size(); ++q) {
            state_index_.emplace(states_[q], static_cast<State>(q));
        }
        const State start = state(required(j, "start"), "start");
        std::vector<bool> accepting(states_.size(), false);
        if (j.contains("accept")) {
            const json& accept = j.at("accept");
            if (!accept.is_array()) {
                fail("accept",
                     fmt::format("expected an array of state names, got {}", accept.type_name()));
            }
            for (size_t i = 0; i < accept.size(); ++i) {
                accepting[static_cast<size_t>(state(accept[i], fmt::format("accept[{}]", i)))] =
                    true;
            }
        }
        table_.assign(states_.size() * alphabet_.size(), -1);
        read_transitions(required(j, "transitions"));
        complete(accepting);
        return Dfa(alphabet_, static_cast<State>(states_.size()), start, std::move(accepting),
                   std::move(table_), states_);
    }

  private:
    [[noreturn]] void fail(const std::string& field, const std::string& problem) const {
        throw std::invalid_argument(field.empty()
                                        ? fmt::format("{}: {}", prefix_, problem)
                                        : fmt::format("{}: {}: {}", prefix_, field, problem));
    }

    const json& required(const json& j, const char* key) const {
        if (!j.contains(key)) {
            fail("", fmt::format("missing required key '{}' (keys: {}; accept is optional)", key,
                                 kAllowedKeys));
        }
        return j.at(key);
    }

    // A non-empty array of distinct, non-empty strings.
    std::vector<std::string> string_list(const json& j, const std::string& field) const {
        if (!j.is_array() || j.empty()) {
            fail(field, fmt::format("expected a non-empty array of strings, got {}",
                                    j.is_array() ? "an empty array" : j.type_name()));
        }
        std::vector<std::string> out;
        std::unordered_set<std::string> seen;
        for (size_t i = 0; i < j.size(); ++i) {
            const std::string where = fmt::format("{}[{}]", field, i);
            if (!j[i].is_string() || j[i].get<std::string>().empty()) {
                fail(where, fmt::format("expected a non-empty string, got {}", j[i].dump()));
            }
            out.push_back(j[i].get<std::string>());
            if (!seen.insert(out.back()).second) {
                fail(where, fmt::format("duplicate name '{}'", out.back()));
            }
        }
        return out;
    }

    State state(const json& j, const std::string& field) const {
        if (!j.is_string()) {
            fail(field, fmt::format("expected a state name (string), got {}", j.dump()));
        }
        auto it = state_index_.find(j.get<std::string>());
        if (it == state_index_.end()) {
            fail(field, fmt::format("'{}' is not a state (states: {})", j.get<std::string>(),
                                    fmt::join(states_, ", ")));
        }
        return it->second;
    }

    Symbol symbol(const std::string& name, const std::string& field) const {
        if (auto s = alphabet_.find(name)) {
            return *s;
        }
        fail(field, fmt::format("symbol '{}' is not in the alphabet [{}]", name,
                                fmt::join(alphabet_.names(), ", ")));
    }

    void set(State from, Symbol s, State to, const std::string& field) {
        State& slot = table_[static_cast<size_t>(from) * alphabet_.size() + static_cast<size_t>(s)];
        if (slot >= 0 && slot != to) {
            fail(field,
                 fmt::format("conflicting transition from '{}' on '{}': already goes to '{}'",
                             states_[static_cast<size_t>(from)], alphabet_.name(s),
                             states_[static_cast<size_t>(slot)]));
        }
        slot = to;
    }

    void read_transitions(const json& j) {
        if (j.is_object()) {
            for (const auto& row : j.items()) {
                const std::string field = "transitions." + row.key();
                const State from = state(json(row.key()), field);
                if (!row.value().is_object()) {
                    fail(field, fmt::format("expected an object mapping symbols to states, got {}",
                                            row.value().type_name()));
                }
                for (const auto& cell : row.value().items()) {
                    const std::string where = field + "." + cell.key();
                    const Symbol s = symbol(cell.key(), where);
                    set(from, s, state(cell.value(), where), where);
                }
            }
        } else if (j.is_array()) {
            for (size_t i = 0; i < j.size(); ++i) {
                const std::string where = fmt::format("transitions[{}]", i);
                const json& t = j[i];
                if (!t.is_array() || t.size() != 3 || !t[1].is_string()) {
                    fail(where,
                         fmt::format("expected a [from, symbol, to] triple of strings, got {}",
                                     t.dump()));
                }
                // One lookup per statement: errors then come in a fixed order.
                const State from = state(t[0], where);
                const Symbol s = symbol(t[1].get<std::string>(), where);
                set(from, s, state(t[2], where), where);
            }
        } else {
            fail("transitions", fmt::format("expected an object or a list of [from, symbol, to] "
                                            "triples, got {}",
                                            j.type_name()));
        }
    }

    // Fills missing transitions with a sink, or names the first missing one.
    void complete(std::vector<bool>& accepting) {
        const size_t k = alphabet_.size();
        const size_t n = states_.size();
        for (size_t i = 0; i < n * k; ++i) {
            if (table_[i] >= 0) {
                continue;
            }
            const std::string& from = states_[i / k];
            const std::string& sym = alphabet_.name(static_cast<Symbol>(i % k));
            if (!complete_with_sink_) {
                fail(fmt::format("transitions.{}.{}", from, sym),
                     fmt::format("missing transition from state '{}' on symbol '{}' (or ask for "
                                 "completion with a sink state)",
                                 from, sym));
            }
            if (states_.size() == n) {
                add_sink(accepting);
            }
            table_[i] = static_cast<State>(n);
        }
    }

    void add_sink(std::vector<bool>& accepting) {
        std::string name = "sink";
        for (int i = 2; state_index_.count(name) != 0; ++i) {
            name = fmt::format("sink_{}", i);
        }
        const auto sink = static_cast<State>(states_.size());
        states_.push_back(name);
        state_index_.emplace(name, sink);
        accepting.push_back(false);
        table_.insert(table_.end(), alphabet_.size(), sink);
    }

    std::string prefix_;
    bool complete_with_sink_;
    Alphabet alphabet_;
    std::vector<std::string> states_;
    std::unordered_map<std::string, State> state_index_;
    std::vector<State> table_;
};

Dfa parse_with_prefix(std::string_view text, const std::string& prefix, bool complete_with_sink) {
    return Reader(prefix, complete_with_sink).read(core::parse_strict_json(text, prefix));
}

}  // namespace

Dfa dfa_from_json(const nlohmann::json& json, bool complete_with_sink) {
    return Reader("dfa json", complete_with_sink).read(json);
}

Dfa parse_dfa_json(std::string_view text, bool complete_with_sink) {
    return parse_with_prefix(text, "dfa json", complete_with_sink);
}

Dfa load_dfa_json(const std::string& path, bool complete_with_sink) {
    const std::string prefix = fmt::format("dfa json '{}'", path);
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        throw std::invalid_argument(
            fmt::format("{}: is a directory, expected a JSON file", prefix));
    }
    if (std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec)) {
        throw std::invalid_argument(fmt::format("{}: not a regular file", prefix));  // /dev/zero
    }
    if (const auto size = std::filesystem::file_size(path, ec);
        !ec && size > core::kMaxJsonFileBytes) {
        throw std::invalid_argument(fmt::format("{}: {} bytes, above the {} MiB limit", prefix,
                                                size, core::kMaxJsonFileBytes >> 20));
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::invalid_argument(
            fmt::format("{}: cannot open: {}", prefix, std::strerror(errno)));
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parse_with_prefix(text.str(), prefix, complete_with_sink);
}

nlohmann::json dfa_to_json(const Dfa& dfa) {
    std::vector<std::string> names = dfa.state_names();
    if (std::unordered_set<std::string>(names.begin(), names.end()).size() != names.size()) {
        for (size_t q = 0; q < names.size(); ++q) {
            names[q] = std::to_string(q);
        }
    }
    json accept = json::array();
    json transitions = json::object();
    for (State q = 0; q < dfa.num_states(); ++q) {
        const std::string& name = names[static_cast<size_t>(q)];
        if (dfa.is_accepting(q)) {
            accept.push_back(name);
        }
        json row = json::object();
        for (Symbol s = 0; static_cast<size_t>(s) < dfa.alphabet().size(); ++s) {
            row[dfa.alphabet().name(s)] = names[static_cast<size_t>(dfa.step(q, s))];
        }
        transitions[name] = std::move(row);
    }
    return json{{"alphabet", dfa.alphabet().names()},
                {"states", names},
                {"start", names[static_cast<size_t>(dfa.start())]},
                {"accept", std::move(accept)},
                {"transitions", std::move(transitions)}};
}

}  // namespace statetrack::automata
