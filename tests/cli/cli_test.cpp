// End-to-end tests of the statetrack CLI: run cli_main in-process with captured stdout/stderr
// and check exit codes, JSON output against known facts, and one-line errors on bad input.
#include "harness/cli/cli.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "core/file_tree.h"
#include "tasks/dataset.h"
#include "tasks/dataset_jsonl.h"
#include "tasks/task_catalogue.h"
#include "testing/cli_capture.h"

namespace statetrack::harness {
namespace {

using testing_cli::CliResult;
using testing_cli::run_cli;

// One line on stderr, prefixed, and nothing on stdout.
void expect_one_line_error(const CliResult& r, const std::string& fragment) {
    EXPECT_NE(r.code, 0);
    EXPECT_EQ(r.err.rfind("statetrack: error: ", 0), 0u) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find(fragment), std::string::npos) << r.err;
}

nlohmann::json classify_json(std::vector<std::string> language) {
    language.insert(language.begin(), {"automata", "classify"});
    language.push_back("--json");
    const CliResult r = run_cli(language);
    EXPECT_EQ(r.code, 0) << r.err;
    return nlohmann::json::parse(r.out);
}

TEST(CliAutomata, ClassifiesKnownLanguages) {
    // (ab)* is star-free; parity needs Z2; A5 and S5 are non-solvable (Barrington: NC1-complete).
    auto ab = classify_json({"--regex", "(ab)*"});
    EXPECT_EQ(ab["class"], "aperiodic");
    EXPECT_EQ(ab["circuit"], "AC0");
    EXPECT_EQ(ab["dfa_states"], 3);
    EXPECT_EQ(ab["shortest_accepted"], "");  // the empty word
    EXPECT_EQ(ab["shortest_rejected"], "a");
    EXPECT_TRUE(classify_json({"--regex", "[ab]*"})["shortest_rejected"].is_null());

    auto parity = classify_json({"--task", "parity"});
    EXPECT_EQ(parity["class"], "solvable");
    EXPECT_EQ(parity["circuit"], "ACC0");
    EXPECT_EQ(parity["largest_group_order"], 2);

    auto s5 = classify_json({"--group", "S5"});
    EXPECT_EQ(s5["class"], "non-solvable");
    EXPECT_EQ(s5["circuit"], "NC1-complete");
    EXPECT_EQ(s5["monoid_size"], 120);

    auto a4z5 = classify_json({"--group", "A4xZ5"});
    EXPECT_EQ(a4z5["class"], "solvable");
    EXPECT_EQ(a4z5["largest_group_order"], 60);
}

TEST(CliAutomata, ClassifiesADfaFile) {
    const auto path = std::filesystem::temp_directory_path() / "statetrack_cli_even_a.json";
    std::ofstream(path) << R"({"alphabet": ["a", "b"], "states": ["even", "odd"],
        "start": "even", "accept": ["even"],
        "transitions": {"even": {"a": "odd", "b": "even"}, "odd": {"a": "even", "b": "odd"}}})";
    auto r = classify_json({"--dfa", path.string()});
    EXPECT_EQ(r["class"], "solvable");
    EXPECT_EQ(r["monoid_size"], 2);
    std::filesystem::remove(path);
}

TEST(CliAutomata, AcceptsReadsOneWordPerLine) {
    const CliResult r =
        run_cli({"automata", "accepts", "--regex", "(a|b)*abb"}, "abb\nab\n\nbabb\n");
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, "accept\nreject\nreject\naccept\n");
}

TEST(CliAutomata, MinimizeJsonLoadsBack) {
    const CliResult r = run_cli({"automata", "minimize", "--regex", "(a|b)*abb", "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["states"].size(), 4u);
}

TEST(CliAutomata, DotMarksAcceptingStates) {
    const CliResult r = run_cli({"automata", "dot", "--regex", "a*b"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("digraph"), std::string::npos);
    EXPECT_NE(r.out.find("doublecircle"), std::string::npos);
}

TEST(CliErrors, BadInputGetsOneLine) {
    expect_one_line_error(run_cli({"automata", "classify", "--regex", "(ab"}), "position 0");
    expect_one_line_error(run_cli({"automata", "classify"}), "exactly one language");
    expect_one_line_error(run_cli({"automata", "classify", "--task", "no_such_task"}), "parity");
    expect_one_line_error(run_cli({"automata", "classify", "--group", "Q8x"}), "Q8x");
    expect_one_line_error(run_cli({"automata", "classify", "--dfa", "/nonexistent/x.json"}),
                          "/nonexistent/x.json");
    expect_one_line_error(run_cli({"automata", "accepts", "--regex", "ab"}, "ab\nac\n"),
                          "stdin line 2");
    expect_one_line_error(run_cli({"tasks", "show", "--task", "parity", "--formulation", "x"}),
                          "state_tagging");
    const CliResult unknown_flag = run_cli({"automata", "classify", "--frobnicate"});
    EXPECT_EQ(unknown_flag.code, 2);
    EXPECT_NE(unknown_flag.err.find("--frobnicate"), std::string::npos);
}

// Found by an outside probe: an unknown command, a DFA file nested 10^5 deep, duplicate keys,
// /dev/zero as a DFA, a huge regex: each one short line.
TEST(CliErrors, HostileInputGetsOneShortLine) {
    const CliResult unknown = run_cli({"frobnicate"});
    EXPECT_EQ(unknown.code, 2);
    EXPECT_EQ(unknown.err.rfind("statetrack: error: unknown command 'frobnicate' (commands: "
                                "automata, tasks, report",
                                0),
              0u)
        << unknown.err;
    const auto dir = std::filesystem::temp_directory_path() /
                     ("statetrack_cli_hostile_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string deep = (dir / "deep.json").string();
    std::ofstream(deep) << std::string(100000, '[') << std::string(100000, ']');
    expect_one_line_error(run_cli({"automata", "classify", "--dfa", deep}),
                          "nesting deeper than 64");
    const std::string twice = (dir / "twice.json").string();
    std::ofstream(twice) << R"({"alphabet": ["a"], "states": ["q0", "q1"], "start": "q0",
        "accept": ["q0"], "transitions": {"q0": {"a": "q1", "a": "q0"}, "q1": {"a": "q0"}}})";
    expect_one_line_error(run_cli({"automata", "classify", "--dfa", twice}),
                          "duplicate key \"a\" in /transitions/q0");
    expect_one_line_error(run_cli({"automata", "classify", "--dfa", "/dev/zero"}),
                          "not a regular file");
    // Groups: bounded by the monoid work of one token per element, not by the group order.
    expect_one_line_error(run_cli({"automata", "classify", "--group", "A5xA5"}),
                          "--group A5xA5: order 3600 with one token per element needs ~4.7e+10");
    expect_one_line_error(run_cli({"automata", "classify", "--group", "S8"}), "order 40320");
    expect_one_line_error(run_cli({"automata", "classify", "--group", "Z65535"}),
                          "passed 2e+08 point operations");
    expect_one_line_error(run_cli({"automata", "dot", "--group", "S9"}), "exceeds max_order");
    const CliResult huge = run_cli({"automata", "classify", "--regex", std::string(100000, '(')});
    EXPECT_NE(huge.code, 0);
    EXPECT_LT(huge.err.size(), 600u);
    expect_one_line_error(huge, "characters)");
    core::remove_tree(dir.string());
}

// CLI11's own range checks printed the double limits in full (309 digits); a NUL or an escape
// sequence in stdin reached the terminal raw.
TEST(CliErrors, NumericOptionsAndStdinWordsAreQuotedShortly) {
    const CliResult length = run_cli({"tasks", "show", "--task", "parity", "--length", "1e9"});
    EXPECT_EQ(length.err,
              "statetrack: error: --length: must be a whole number from 0 to 1000000, got '1e9' "
              "(see --help)\n");
    const CliResult count = run_cli({"tasks", "export", "--task", "parity", "--count",
                                     std::string(400, '9'), "--out", "/nonexistent/x.jsonl"});
    EXPECT_NE(count.code, 0);
    EXPECT_NE(count.err.find("--count: must be a whole number >= 1, got '99999"), std::string::npos)
        << count.err;
    EXPECT_LT(count.err.size(), 200u);
    expect_one_line_error(run_cli({"report", "x", "--threshold", "nan"}),
                          "--threshold: must be a number from 0 to 1, got 'nan'");
    const CliResult nul =
        run_cli({"automata", "accepts", "--regex", "(ab)*"}, std::string("ab\0c\x1b[2J\n", 9));
    EXPECT_EQ(nul.err, "statetrack: error: stdin line 1: unknown symbol '\\x00' (alphabet: a b)\n");
}

TEST(CliTasks, ListNamesTheCatalogue) {
    const CliResult r = run_cli({"tasks", "list", "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j.size(), tasks::task_catalogue().size());
}

TEST(CliTasks, ShowIsDeterministic) {
    const std::vector<std::string> args = {"tasks",   "show", "--task", "group:S5", "--length", "9",
                                           "--count", "2",    "--seed", "7",        "--json"};
    const CliResult a = run_cli(args);
    const CliResult b = run_cli(args);
    ASSERT_EQ(a.code, 0) << a.err;
    EXPECT_EQ(a.out, b.out);
    const auto j = nlohmann::json::parse(a.out);
    EXPECT_EQ(j["examples"].size(), 2u);
    EXPECT_EQ(j["examples"][0]["tokens"].size(), 9u);
}

TEST(CliTasks, ExportWritesTheGeneratedDataset) {
    const auto path = std::filesystem::temp_directory_path() / "statetrack_cli_export.jsonl";
    std::filesystem::remove(path);
    const CliResult r =
        run_cli({"tasks", "export", "--task", "parity", "--formulation", "final_label", "--lengths",
                 "1-5", "--count", "3", "--seed", "4", "--out", path.string()});
    ASSERT_EQ(r.code, 0) << r.err;
    const tasks::Dataset read = tasks::read_dataset_jsonl(path.string());
    tasks::DatasetSpec spec;
    spec.task = "parity";
    spec.formulation = tasks::Formulation::kFinalLabel;
    spec.seed = 4;
    spec.split = "train";
    spec.lengths = {1, 5};
    spec.count_per_length = 3;
    const tasks::Dataset expected = tasks::generate_dataset(spec);
    EXPECT_EQ(read.examples, expected.examples);
    std::filesystem::remove(path);
}

TEST(CliTasks, FailedExportLeavesNoFile) {
    const auto path = std::filesystem::temp_directory_path() / "statetrack_cli_bad.jsonl";
    std::filesystem::remove(path);
    expect_one_line_error(run_cli({"tasks", "export", "--task", "parity", "--lengths", "9-3",
                                   "--out", path.string()}),
                          "9-3");
    EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace statetrack::harness
