// LanguageSource: the one language a command works on, named on the command line by exactly one
// of --task SPEC, --regex RE (with optional --alphabet), --dfa FILE or --group SPEC.
// resolve() turns it into a complete Dfa, task_spec() into the task spec a run trains on; every
// user error is one std::invalid_argument line.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "automata/dfa.h"

namespace statetrack::harness {

struct LanguageSource {
    std::string task;
    std::string regex;
    std::string alphabet;  // characters, e.g. "ab"; empty = inferred from the regex
    std::string dfa_path;
    std::string group;
    bool complete_with_sink = false;

    // Registers the four sources and --alphabet and --complete on `command`.
    void add_options(CLI::App& command);
    // Registers only the four sources (`run`, which trains on the language as a task spec).
    void add_source_options(CLI::App& command);
    // How many of the four sources were given.
    int given() const;
    // Human description, e.g. "regex '(ab)*' over {a, b}". Valid after resolve().
    const std::string& description() const { return description_; }
    // Throws std::invalid_argument unless exactly one source is given, or when it is invalid.
    automata::Dfa resolve();
    // The language as a task spec (tasks/task_catalogue.h): the --task spec, "regex:RE",
    // "dfa:FILE" or "group:G". Throws std::invalid_argument unless exactly one source is given.
    std::string task_spec() const;

  private:
    void check_one_source() const;

    std::string description_;
};

}  // namespace statetrack::harness
