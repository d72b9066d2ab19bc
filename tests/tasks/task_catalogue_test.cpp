// The catalogue: every entry builds with each of its formulations and samples valid Examples;
// canonical names rebuild the same task; bad specs give their specific one-line errors.
#include "tasks/task_catalogue.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "automata/dfa_json.h"
#include "task_test_util.h"
#include "tasks/task_spec.h"

namespace statetrack::tasks {
namespace {

using automata::Rng;

using testing::task_error;

// A spec for every entry but dfa (the parameterised ones need an argument).
std::string example_spec(const CatalogueEntry& e) {
    if (e.name == "group") {
        return "group:S3";
    }
    return e.name == "regex" ? "regex:(a|bb)*" : e.name;
}

TEST(TaskCatalogue, EveryEntryBuildsAndSamplesWithEachFormulation) {
    for (const CatalogueEntry& entry : task_catalogue()) {
        if (entry.name == "dfa") {
            continue;  // needs a file: DfaFileTask below
        }
        ASSERT_FALSE(entry.description.empty()) << entry.name;
        ASSERT_FALSE(entry.source.empty()) << entry.name;
        ASSERT_EQ(entry.formulations.front(), entry.default_formulation) << entry.name;
        for (Formulation f : entry.formulations) {
            const auto task = make_task(example_spec(entry), f);
            EXPECT_EQ(task->formulation(), f);
            EXPECT_GT(task->chance_level(), 0.0);
            EXPECT_FALSE(task->description().empty());
            Rng rng(71);
            int64_t n = entry.name == "mqar" ? 64 : 9;  // 9: odd, for modular arithmetic
            const Example ex = task->sample(n, rng);
            EXPECT_TRUE(testing::example_ok(*task, ex, n)) << entry.name << " " << to_string(f);
            // The canonical name rebuilds an identical task.
            const auto again = make_task(task->name(), f);
            Rng rng2(71);
            EXPECT_EQ(again->sample(n, rng2), ex) << task->name();
            EXPECT_EQ(again->name(), task->name());
        }
    }
}

TEST(TaskCatalogue, CanonicalNames) {
    EXPECT_EQ(make_task("parity")->name(), "parity");
    EXPECT_EQ(make_task("dyck")->name(), "dyck:k=2,depth=3");
    EXPECT_EQ(make_task("dyck:depth=5")->name(), "dyck:k=2,depth=5");
    EXPECT_EQ(make_task("group:A4xZ5")->name(), "group:A4xZ5/elements");
    EXPECT_EQ(make_task("regex:(a|bb)*")->name(), "regex:(a|bb)*");
    EXPECT_EQ(make_task("mqar")->name(), "mqar:vocab=8192,pairs=4,alpha=0.01,fill=zero");
}

TEST(TaskCatalogue, RegexTaskRecognisesTheLanguage) {
    const auto task = make_task("regex:(a|bb)*");
    EXPECT_EQ(task->input_vocab().names, (std::vector<std::string>{"a", "b"}));
    Rng rng(72);
    for (int rep = 0; rep < 200; ++rep) {
        const Example ex = task->sample(7, rng);
        // (a|bb)*: every maximal run of b's has even length.
        bool member = true;
        int run = 0;
        for (int32_t x : ex.tokens) {
            if (x == 1) {
                ++run;
                continue;
            }
            member = member && run % 2 == 0;
            run = 0;
        }
        member = member && run % 2 == 0;
        EXPECT_EQ(ex.targets.back() == 1, member) << testing::text_of(*task, ex.tokens);
    }
}

TEST(TaskCatalogue, DfaFileTask) {
    const std::string path = ::testing::TempDir() + "/statetrack_tasks_dfa.json";
    {
        // "ends with b" over {a, b}.
        std::ofstream out(path);
        out << R"({"alphabet": ["a", "b"], "states": ["s", "t"], "start": "s", "accept": ["t"],
                   "transitions": {"s": {"a": "s", "b": "t"}, "t": {"a": "s", "b": "t"}}})";
    }
    const auto task = make_task("dfa:" + path, Formulation::kMembershipTagging);
    EXPECT_EQ(task->name(), "dfa:" + path);
    Rng rng(73);
    const Example ex = task->sample(30, rng);
    for (size_t t = 0; t < ex.tokens.size(); ++t) {
        EXPECT_EQ(ex.targets[t], ex.tokens[t] == 1 ? 1 : 0);
    }
    std::remove(path.c_str());
    EXPECT_NE(task_error("dfa:" + path).find(path), std::string::npos);
}

TEST(TaskCatalogue, UnknownNamesAndSyntaxErrors) {
    const std::string unknown = task_error("parityy");
    EXPECT_EQ(unknown.rfind("unknown task 'parityy' (valid: parity, even_pairs,", 0), 0u)
        << unknown;
    EXPECT_NE(unknown.find("mqar, regex, dfa)"), std::string::npos) << unknown;
    EXPECT_EQ(task_error(""), "task spec is empty (expected NAME or NAME:ARGUMENT)");
    EXPECT_EQ(task_error(":x"), "task spec ':x' has no name before ':'");
    EXPECT_EQ(task_error("Parity"),
              "task spec 'Parity': character 'P' at position 0 is not allowed in a task name "
              "(use a-z, 0-9, _)");
    EXPECT_EQ(task_error("dyck:"), "task spec 'dyck:': nothing after ':'");
    EXPECT_EQ(task_error("parity:k=2"), "task 'parity' takes no parameters (got 'k=2')");
    EXPECT_EQ(task_error("regex"), "task 'regex' needs PATTERN: regex:PATTERN");
    EXPECT_EQ(task_error("dyck:k"),
              "task spec 'dyck:k': parameter 'k' is not key=value (keys: k, depth)");
    EXPECT_EQ(task_error("dyck:k=2,k=3"), "task spec 'dyck:k=2,k=3': parameter 'k' given twice");
    EXPECT_EQ(task_error("dyck:k=9"), "task spec 'dyck:k=9': k=9 is outside [1, 4]");
    EXPECT_EQ(task_error("dyck:size=2"),
              "task spec 'dyck:size=2': unknown parameter 'size' (valid: k, depth)");
    EXPECT_EQ(task_error("mqar", Formulation::kRecognition),
              "task 'mqar' does not support formulation recognition (supported: recall)");
    EXPECT_NE(task_error("regex:(a|b"), statetrack::testing::kNoError);
}

TEST(TaskCatalogue, LookupAndFormulationNames) {
    EXPECT_EQ(catalogue_entry("tomita3").default_formulation, Formulation::kRecognition);
    EXPECT_THROW(catalogue_entry("nope"), std::invalid_argument);
    for (Formulation f :
         {Formulation::kStateTagging, Formulation::kMembershipTagging, Formulation::kFinalLabel,
          Formulation::kFinalState, Formulation::kRecognition, Formulation::kRecall}) {
        EXPECT_EQ(parse_formulation(to_string(f)), f);
    }
    EXPECT_EQ(testing::error_of([] { parse_formulation("tagging"); }),
              "unknown formulation 'tagging' (valid: state_tagging, membership_tagging, "
              "final_label, final_state, recognition, recall)");
}

}  // namespace
}  // namespace statetrack::tasks
