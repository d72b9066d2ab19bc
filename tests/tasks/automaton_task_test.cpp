// AutomatonTask formulations: every sampled target equals an independent simulation (counting,
// summing, the Tomita predicates, a bracket stack), the Example contract holds, inputs follow
// the documented distribution, and recognition is balanced and thread-safe.
#include "tasks/automaton_task.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <thread>

#include "language_predicates.h"
#include "task_test_util.h"
#include "tasks/builtin_dfas.h"
#include "tasks/task_catalogue.h"

namespace statetrack::tasks {
namespace {

using automata::Rng;
using testing::example_ok;
using testing::text_of;

TEST(AutomatonTask, ParityFinalLabelCountsOnes) {
    const auto task = make_task("parity");
    EXPECT_EQ(task->formulation(), Formulation::kFinalLabel);
    EXPECT_EQ(task->output_vocab().names, (std::vector<std::string>{"even", "odd"}));
    EXPECT_DOUBLE_EQ(task->chance_level(), 0.5);
    Rng rng(1);
    for (int64_t n = 1; n <= 40; ++n) {
        const Example ex = task->sample(n, rng);
        ASSERT_TRUE(example_ok(*task, ex, n));
        const auto ones = std::count(ex.tokens.begin(), ex.tokens.end(), 1);
        EXPECT_EQ(ex.targets.back(), ones % 2);
        EXPECT_EQ(std::count(ex.loss_mask.begin(), ex.loss_mask.end(), 1), 1);
        EXPECT_EQ(ex.loss_mask.back(), 1);
    }
}

TEST(AutomatonTask, ParityStateTaggingIsThePrefixParity) {
    const auto task = make_task("parity", Formulation::kStateTagging);
    Rng rng(2);
    const Example ex = task->sample(200, rng);
    ASSERT_TRUE(example_ok(*task, ex, 200));
    int ones = 0;
    for (size_t t = 0; t < ex.tokens.size(); ++t) {
        ones += ex.tokens[t];
        EXPECT_EQ(ex.targets[t], ones % 2) << t;
        EXPECT_EQ(ex.loss_mask[t], 1);
    }
}

TEST(AutomatonTask, CycleNavigationSumsMoves) {
    const auto task = make_task("cycle_navigation");
    EXPECT_EQ(task->output_vocab().size(), 5u);
    Rng rng(3);
    for (int64_t n = 1; n <= 60; ++n) {
        const Example ex = task->sample(n, rng);
        ASSERT_TRUE(example_ok(*task, ex, n));
        int position = 0;
        for (int32_t x : ex.tokens) {
            position += x - 1;  // Delétang's code: 0 -> -1, 1 -> stay, 2 -> +1
        }
        EXPECT_EQ(ex.targets.back(), ((position % 5) + 5) % 5);
    }
}

TEST(AutomatonTask, EvenPairsIsFirstDifferentFromLast) {
    const auto task = make_task("even_pairs");
    Rng rng(4);
    for (int64_t n = 1; n <= 40; ++n) {
        const Example ex = task->sample(n, rng);
        EXPECT_EQ(ex.targets.back(), ex.tokens.front() != ex.tokens.back() ? kAccept : kReject);
    }
}

TEST(AutomatonTask, TomitaMembershipTaggingFollowsThePredicates) {
    for (int k = 1; k <= 7; ++k) {
        const auto task = make_task(fmt::format("tomita{}", k), Formulation::kMembershipTagging);
        const testing::Predicate member = testing::tomita(k);
        Rng rng(10 + k);
        for (int rep = 0; rep < 20; ++rep) {
            const Example ex = task->sample(16, rng);
            ASSERT_TRUE(example_ok(*task, ex, 16));
            const std::string s = text_of(*task, ex.tokens);
            for (size_t t = 0; t < s.size(); ++t) {
                EXPECT_EQ(ex.targets[t] == kAccept, member(s.substr(0, t + 1)))
                    << "tomita" << k << " prefix " << s.substr(0, t + 1);
            }
        }
    }
}

TEST(AutomatonTask, FinalStateNamesTheStateReached) {
    const auto task = make_task("tomita4", Formulation::kFinalState);
    EXPECT_EQ(task->output_vocab().names, tomita_dfa(4).state_names());
    Rng rng(5);
    for (int rep = 0; rep < 50; ++rep) {
        const Example ex = task->sample(12, rng);
        const std::string s = text_of(*task, ex.tokens);
        const std::string& state =
            task->output_vocab().names[static_cast<size_t>(ex.targets.back())];
        // State names of tomita4 count trailing zeros ("z0".."z2") or say "sink".
        size_t trailing = 0;
        while (trailing < s.size() && s[s.size() - 1 - trailing] == '0') {
            ++trailing;
        }
        const std::string expected =
            s.find("000") != s.npos ? "sink" : fmt::format("z{}", trailing);
        EXPECT_EQ(state, expected) << s;
    }
}

TEST(AutomatonTask, UniformInputsAreUniform) {
    const auto task = make_task("cycle_navigation", Formulation::kStateTagging);
    Rng rng(6);
    std::vector<int64_t> counts(3, 0);
    for (int rep = 0; rep < 100; ++rep) {
        for (int32_t x : task->sample(300, rng).tokens) {
            ++counts[static_cast<size_t>(x)];
        }
    }
    EXPECT_LT(testing::chi_square(counts, 10000.0), testing::chi_square_limit(2));
}

TEST(AutomatonTask, FlipFlopInputsFollowTheWeights) {
    const auto task = make_task("flip_flop");
    EXPECT_EQ(task->input_vocab().names, (std::vector<std::string>{"w0", "w1", "i", "r"}));
    Rng rng(7);
    std::vector<int64_t> counts(4, 0);
    int64_t total = 0;
    for (int rep = 0; rep < 100; ++rep) {
        const Example ex = task->sample(400, rng);
        int memory = 0;
        for (size_t t = 0; t < ex.tokens.size(); ++t) {
            ++counts[static_cast<size_t>(ex.tokens[t])];
            ++total;
            memory = ex.tokens[t] < 2 ? ex.tokens[t] : memory;
            ASSERT_EQ(ex.targets[t], memory);
        }
    }
    const double expected[] = {0.05, 0.05, 0.8, 0.1};
    double stat = 0.0;
    for (size_t s = 0; s < 4; ++s) {
        const double e = expected[s] * static_cast<double>(total);
        stat += (static_cast<double>(counts[s]) - e) * (static_cast<double>(counts[s]) - e) / e;
    }
    EXPECT_LT(stat, testing::chi_square_limit(3));
}

TEST(AutomatonTask, RecognitionIsBalancedAndCorrectlyLabelled) {
    const auto task = make_task("dyck:k=2,depth=3");
    EXPECT_EQ(task->formulation(), Formulation::kRecognition);
    Rng rng(8);
    int accepted = 0;
    const int n = 2000;
    for (int i = 0; i < n; ++i) {
        const Example ex = task->sample(10, rng);
        ASSERT_TRUE(example_ok(*task, ex, 10));
        const bool member = testing::bounded_dyck(text_of(*task, ex.tokens), "()[]", 3);
        EXPECT_EQ(ex.targets.back() == kAccept, member);
        accepted += member ? 1 : 0;
    }
    // Bernoulli(1/2) labels: 2000 draws stay within 4.5 sigma (= 100) of 1000.
    EXPECT_NEAR(accepted, n / 2, 100);
}

TEST(AutomatonTask, RecognitionAtALengthWithOneClass) {
    // (aa)* has no member of odd length and no non-member of even length.
    const auto task = make_task("aa_star");
    Rng rng(9);
    for (int i = 0; i < 20; ++i) {
        EXPECT_EQ(task->sample(7, rng).targets.back(), kReject);
        EXPECT_EQ(task->sample(8, rng).targets.back(), kAccept);
    }
}

TEST(AutomatonTask, RecognitionIsThreadSafeAndDeterministic) {
    const auto task = make_task("tomita3");
    const auto run = [&](uint64_t seed, std::vector<Example>& out) {
        Rng rng(seed);
        for (int64_t n = 1; n <= 300; n += 7) {
            out.push_back(task->sample(n, rng));
        }
    };
    std::vector<Example> a, b, reference;
    std::thread t1(run, 11, std::ref(a));
    std::thread t2(run, 11, std::ref(b));
    t1.join();
    t2.join();
    run(11, reference);
    EXPECT_EQ(a, reference);
    EXPECT_EQ(b, reference);
}

TEST(AutomatonTask, RejectsBadLengthsAndRecall) {
    const auto task = make_task("parity");
    Rng rng(1);
    EXPECT_EQ(testing::error_of([&] { task->sample(0, rng); }),
              "task 'parity': length 0 is not valid (allowed: any length >= 1)");
    EXPECT_THROW(AutomatonTask("x", "", {parity_dfa(), {}, {}, {}}, Formulation::kRecall),
                 std::invalid_argument);
    EXPECT_THROW(
        AutomatonTask("x", "", {parity_dfa(), {1, 2, 3}, {}, {}}, Formulation::kFinalLabel),
        std::invalid_argument);
    EXPECT_THROW(
        AutomatonTask("x", "", {parity_dfa(), {}, {0, 2}, {"a", "b"}}, Formulation::kFinalLabel),
        std::invalid_argument);
}

TEST(AutomatonTask, FormatExample) {
    const auto task = make_task("parity");
    const Example ex{{0, 1, 1}, {kNoTarget, kNoTarget, 0}, {0, 0, 1}};
    EXPECT_EQ(format_example(*task, ex), "input:  0 1 1\ntarget: _ _ even");
}

TEST(AutomatonTask, AlgebraDfaIsTheTasksAutomaton) {
    const auto task = make_task("tomita5");
    ASSERT_TRUE(task->algebra_dfa().has_value());
    EXPECT_EQ(task->algebra_dfa()->table(), tomita_dfa(5).table());
}

}  // namespace
}  // namespace statetrack::tasks
