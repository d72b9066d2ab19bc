// DFA JSON: round trips, both transition forms, sink completion, and one specific error per
// malformed input, each naming its field.
#include "automata/dfa_json.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>

#include "automata_testing.h"

namespace statetrack::automata {
namespace {

using nlohmann::json;

json valid() {
    return json::parse(R"({"alphabet": ["a", "b"], "states": ["q0", "q1"], "start": "q0",
                           "accept": ["q1"],
                           "transitions": {"q0": {"a": "q1", "b": "q0"},
                                           "q1": {"a": "q1", "b": "q0"}}})");
}

TEST(DfaJson, ReadsTheDocumentedFormat) {
    const Dfa dfa = dfa_from_json(valid());
    EXPECT_EQ(dfa.num_states(), 2);
    EXPECT_EQ(dfa.state_names(), (std::vector<std::string>{"q0", "q1"}));
    EXPECT_TRUE(dfa.accepts(dfa.alphabet().parse_word("bba")));
    EXPECT_FALSE(dfa.accepts(dfa.alphabet().parse_word("ab")));
}

TEST(DfaJson, TripleFormMatchesObjectForm) {
    json triples = valid();
    triples["transitions"] = json::parse(
        R"([["q0", "a", "q1"], ["q0", "b", "q0"], ["q1", "a", "q1"], ["q1", "b", "q0"]])");
    EXPECT_TRUE(testing::same_dfa(dfa_from_json(triples), dfa_from_json(valid())));
}

TEST(DfaJson, RoundTripsRandomDfas) {
    Rng rng(31);
    for (int trial = 0; trial < 30; ++trial) {
        const Dfa dfa = testing::random_dfa_up_to(rng, 20, 3);
        const Dfa back = dfa_from_json(json::parse(dfa_to_json(dfa).dump()));
        ASSERT_TRUE(testing::same_dfa(back, dfa));
        ASSERT_EQ(back.state_names(), dfa.state_names());
    }
    const Dfa named = dfa_from_json(valid());
    EXPECT_EQ(dfa_to_json(named), valid());
}

TEST(DfaJson, MissingTransitionsAreCompletedWithASinkOnRequest) {
    json partial = valid();
    partial["states"].push_back("sink");
    partial["transitions"]["q1"].erase("b");
    partial["transitions"]["sink"] = json::object();
    EXPECT_EQ(testing::error_of([&] { dfa_from_json(partial); }),
              "dfa json: transitions.q1.b: missing transition from state 'q1' "
              "on symbol 'b' (or ask for completion with a sink state)");
    const Dfa dfa = dfa_from_json(partial, /*complete_with_sink=*/true);
    ASSERT_EQ(dfa.num_states(), 4);
    EXPECT_EQ(dfa.state_name(3), "sink_2");  // "sink" was taken
    EXPECT_EQ(dfa.step(1, 1), 3);
    EXPECT_EQ(dfa.step(2, 0), 3);
    EXPECT_EQ(dfa.step(3, 0), 3);
    EXPECT_FALSE(dfa.is_accepting(3));
    // A complete input gets no sink.
    EXPECT_EQ(dfa_from_json(valid(), true).num_states(), 2);
}

struct BadJson {
    std::function<void(json&)> edit;
    const char* message;
};

TEST(DfaJson, EachMalformedInputNamesItsField) {
    const std::vector<BadJson> cases = {
        {[](json& j) { j["transitions"]["q0"]["c"] = "q0"; },
         "dfa json: transitions.q0.c: symbol 'c' is not in the alphabet [a, b]"},
        {[](json& j) { j["colour"] = 1; },
         "dfa json: unknown key 'colour' (allowed keys: alphabet, states, start, accept, "
         "transitions)"},
        {[](json& j) { j.erase("states"); },
         "dfa json: missing required key 'states' (keys: alphabet, states, start, accept, "
         "transitions; accept is optional)"},
        {[](json& j) { j["alphabet"] = json::array(); },
         "dfa json: alphabet: expected a non-empty array of strings, got an empty array"},
        {[](json& j) { j["alphabet"] = json::parse(R"(["a", "a"])"); },
         "dfa json: alphabet[1]: duplicate name 'a'"},
        {[](json& j) { j["states"] = json::parse(R"(["q0", 3])"); },
         "dfa json: states[1]: expected a non-empty string, got 3"},
        {[](json& j) { j["states"] = "q0"; },
         "dfa json: states: expected a non-empty array of strings, got string"},
        {[](json& j) { j["start"] = "q7"; },
         "dfa json: start: 'q7' is not a state (states: q0, q1)"},
        {[](json& j) { j["accept"] = json::parse(R"(["q1", "x"])"); },
         "dfa json: accept[1]: 'x' is not a state (states: q0, q1)"},
        {[](json& j) { j["accept"] = "q1"; },
         "dfa json: accept: expected an array of state names, got string"},
        {[](json& j) { j["transitions"]["q9"] = json::object(); },
         "dfa json: transitions.q9: 'q9' is not a state (states: q0, q1)"},
        {[](json& j) { j["transitions"]["q1"] = "q0"; },
         "dfa json: transitions.q1: expected an object mapping symbols to states, got string"},
        {[](json& j) { j["transitions"]["q1"]["a"] = 0; },
         "dfa json: transitions.q1.a: expected a state name (string), got 0"},
        {[](json& j) { j["transitions"] = 5; },
         "dfa json: transitions: expected an object or a list of [from, symbol, to] triples, got "
         "number"},
        {[](json& j) { j["transitions"] = json::parse(R"([["q0", "a"]])"); },
         "dfa json: transitions[0]: expected a [from, symbol, to] triple of strings, got "
         "[\"q0\",\"a\"]"},
        {[](json& j) {
             j["transitions"] = json::parse(R"([["q0", "a", "q1"], ["q0", "a", "q0"]])");
         },
         "dfa json: transitions[1]: conflicting transition from 'q0' on 'a': already goes to "
         "'q1'"},
        {[](json& j) { j = json::array(); },
         "dfa json: expected a JSON object at the top level, got array"},
    };
    for (const BadJson& c : cases) {
        json j = valid();
        c.edit(j);
        EXPECT_EQ(testing::error_of([&] { dfa_from_json(j); }), c.message) << j.dump();
    }
}

TEST(DfaJson, TextAndFileErrors) {
    const std::string what = testing::error_of([] { parse_dfa_json("{\"alphabet\": [\"a\",]}"); });
    EXPECT_EQ(what.rfind("dfa json: invalid JSON: parse error at line 1, column 19", 0), 0U)
        << what;
    const std::string missing = "/nonexistent/dir/dfa.json";
    EXPECT_EQ(testing::error_of([&] { load_dfa_json(missing); }),
              "dfa json '/nonexistent/dir/dfa.json': cannot open: No such file "
              "or directory");
    const auto dir = std::filesystem::temp_directory_path();
    const std::string path = (dir / "statetrack_dfa_json_test.json").string();
    {
        std::ofstream out(path);
        out << valid().dump(2);
    }
    EXPECT_TRUE(testing::same_dfa(load_dfa_json(path), dfa_from_json(valid())));
    {
        std::ofstream out(path);
        out << R"({"alphabet": ["a"], "states": ["s"], "start": "s", "transitions": {}})";
    }
    EXPECT_EQ(testing::error_of([&] { load_dfa_json(path); }),
              fmt::format("dfa json '{}': transitions.s.a: missing transition from state 's' on "
                          "symbol 'a' (or ask for completion with a sink state)",
                          path));
    std::remove(path.c_str());
    EXPECT_THROW(load_dfa_json(dir.string()), std::invalid_argument);
}

}  // namespace
}  // namespace statetrack::automata
