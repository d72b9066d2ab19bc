// Group word problems: targets checked by multiplying permutations directly
// (automata::Permutation::operator*, parsed back from the token and class names), never through
// the Cayley table the task runs on.
#include "tasks/word_problem.h"

#include <gtest/gtest.h>

#include <string>

#include "automata/permutation_group.h"
#include "task_test_util.h"
#include "tasks/task_catalogue.h"

namespace statetrack::tasks {
namespace {

using automata::Permutation;
using automata::Rng;

Permutation parse_element(const std::string& name, size_t degree) {
    return name == "e" ? Permutation::identity(degree) : Permutation::parse_cycles(name, degree);
}

// Checks state tagging on `spec` by multiplying permutations.
void expect_prefix_products(const std::string& spec, size_t degree, int64_t length) {
    const auto task = make_task(spec);
    EXPECT_EQ(task->formulation(), Formulation::kStateTagging);
    Rng rng(31);
    for (int rep = 0; rep < 5; ++rep) {
        const Example ex = task->sample(length, rng);
        ASSERT_TRUE(testing::example_ok(*task, ex, length));
        Permutation product = Permutation::identity(degree);
        for (size_t t = 0; t < ex.tokens.size(); ++t) {
            product = product * parse_element(task->input_vocab().names[ex.tokens[t]], degree);
            const std::string& target = task->output_vocab().names[ex.targets[t]];
            ASSERT_EQ(parse_element(target, degree), product) << spec << " position " << t;
        }
    }
}

TEST(WordProblem, PrefixProductsOfTheAnchorGroups) {
    expect_prefix_products("group:S5", 5, 100);
    expect_prefix_products("group:A5", 5, 100);
    expect_prefix_products("group:Z60", 60, 100);
    expect_prefix_products("group:A4xZ5", 9, 100);
    expect_prefix_products("group:D4/generators", 4, 100);
    expect_prefix_products("group:S5/transpositions", 5, 100);
    expect_prefix_products("group:(1 2 3); (1 2)", 3, 100);
}

TEST(WordProblem, TokenSets) {
    const auto all = make_task("group:S5");
    EXPECT_EQ(all->name(), "group:S5/elements");
    EXPECT_EQ(all->input_vocab().size(), 120u);
    EXPECT_EQ(all->output_vocab().size(), 120u);
    EXPECT_DOUBLE_EQ(all->chance_level(), 1.0 / 120);

    const auto swaps = make_task("group:S5/transpositions");
    ASSERT_EQ(swaps->input_vocab().size(), 10u);  // C(5, 2)
    for (const std::string& name : swaps->input_vocab().names) {
        const Permutation p = parse_element(name, 5);
        int moved = 0;
        for (size_t x = 0; x < 5; ++x) {
            moved += p(x) != x ? 1 : 0;
        }
        EXPECT_EQ(moved, 2) << name;
    }
    const auto gens = make_task("group:S5/generators");
    EXPECT_EQ(gens->input_vocab().size(),
              automata::PermutationGroup::from_spec("S5").generators().size());
    EXPECT_EQ(gens->output_vocab().size(), 120u);
}

TEST(WordProblem, OtherFormulationsUseTheProduct) {
    const auto membership = make_task("group:A5", Formulation::kMembershipTagging);
    const auto final_label = make_task("group:A5", Formulation::kFinalLabel);
    Rng rng(32);
    for (int rep = 0; rep < 20; ++rep) {
        const Example m = membership->sample(3, rng);
        Permutation product = Permutation::identity(5);
        for (size_t t = 0; t < 3; ++t) {
            product = product * parse_element(membership->input_vocab().names[m.tokens[t]], 5);
            EXPECT_EQ(m.targets[t] == kAccept, product.is_identity());
        }
        const Example f = final_label->sample(30, rng);
        product = Permutation::identity(5);
        for (int32_t x : f.tokens) {
            product = product * parse_element(final_label->input_vocab().names[x], 5);
        }
        EXPECT_EQ(parse_element(final_label->output_vocab().names[f.targets.back()], 5), product);
    }
}

TEST(WordProblem, RecognitionIsTheIdentityWordProblem) {
    const auto task = make_task("group:S3/generators", Formulation::kRecognition);
    Rng rng(33);
    int identity = 0;
    for (int rep = 0; rep < 400; ++rep) {
        const Example ex = task->sample(12, rng);
        Permutation product = Permutation::identity(3);
        for (int32_t x : ex.tokens) {
            product = product * parse_element(task->input_vocab().names[x], 3);
        }
        EXPECT_EQ(ex.targets.back() == kAccept, product.is_identity());
        identity += product.is_identity() ? 1 : 0;
    }
    EXPECT_NEAR(identity, 200, 50);
}

TEST(WordProblem, SpecErrors) {
    EXPECT_EQ(testing::task_error("group:S5/swaps"),
              "group task 'S5/swaps': unknown token set 'swaps' (valid: elements, "
              "generators, transpositions)");
    EXPECT_EQ(testing::task_error("group:A5/transpositions"), "group A5 contains no transposition");
    EXPECT_THROW(make_task("group:S7"), std::invalid_argument);  // 5040 > element-token limit
    EXPECT_EQ(make_task("group:S7/generators")->output_vocab().size(), 5040u);
    EXPECT_THROW(make_task("group"), std::invalid_argument);
    EXPECT_THROW(make_task("group:Q8"), std::invalid_argument);
    EXPECT_THROW(make_task("group:/elements"), std::invalid_argument);
}

}  // namespace
}  // namespace statetrack::tasks
