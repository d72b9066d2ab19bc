// Training batches: a pure function of (seed, step) in both dataset modes, one length per batch
// drawn from the valid train lengths, fixed-mode epochs covering the training set exactly once,
// and the held-out validation set; make_batch's tensor layout.
#include "harness/training/training_data.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "harness/training/batch.h"
#include "tasks/task_catalogue.h"

namespace statetrack::harness {
namespace {

TaskRunConfig task_config(DatasetMode mode) {
    TaskRunConfig c;
    c.spec = "modular_arithmetic";
    c.train_lengths = {1, 9};
    c.dataset = mode;
    c.train_examples = 50;
    c.validation_examples = 20;
    return c;
}

TEST(TrainingData, FreshBatchesAreAFunctionOfSeedAndStep) {
    const auto task = tasks::make_task("modular_arithmetic");
    TrainingData a(*task, task_config(DatasetMode::kFresh), 7, 16);
    TrainingData b(*task, task_config(DatasetMode::kFresh), 7, 16);
    TrainingData other_seed(*task, task_config(DatasetMode::kFresh), 8, 16);
    EXPECT_EQ(a.train_lengths(), (std::vector<int64_t>{1, 3, 5, 7, 9}));  // odd lengths only
    // b asks for the steps in another order: the batches do not depend on what came before.
    const std::vector<tasks::Example> b5 = b.examples(5);
    const std::vector<tasks::Example> b0 = b.examples(0);
    EXPECT_EQ(a.examples(0), b0);
    EXPECT_EQ(a.examples(5), b5);
    EXPECT_NE(a.examples(0), a.examples(1));
    EXPECT_NE(a.examples(0), other_seed.examples(0));
    std::set<size_t> lengths_seen;
    for (int64_t step = 0; step < 60; ++step) {
        const std::vector<tasks::Example> batch = a.examples(step);
        ASSERT_EQ(batch.size(), 16u);
        for (const tasks::Example& e : batch) {
            EXPECT_EQ(e.tokens.size(), batch[0].tokens.size());  // one length per batch
        }
        lengths_seen.insert(batch[0].tokens.size());
    }
    EXPECT_EQ(lengths_seen, (std::set<size_t>{1, 3, 5, 7, 9}));
}

TEST(TrainingData, FixedEpochsCoverTheTrainingSetOnce) {
    const auto task = tasks::make_task("modular_arithmetic");
    TrainingData data(*task, task_config(DatasetMode::kFixed), 7, 4);
    // 50 examples over 5 lengths = 10 per length = 3 batches of <= 4 per length.
    EXPECT_EQ(data.train_set_size(), 50);
    EXPECT_EQ(data.batches_per_epoch(), 15);
    for (int64_t epoch = 0; epoch < 2; ++epoch) {
        std::multiset<std::vector<int32_t>> seen;
        for (int64_t i = 0; i < data.batches_per_epoch(); ++i) {
            const auto batch = data.examples(epoch * data.batches_per_epoch() + i);
            for (const tasks::Example& e : batch) {
                EXPECT_EQ(e.tokens.size(), batch[0].tokens.size());
                EXPECT_TRUE(data.is_training_input(e.tokens));
                seen.insert(e.tokens);
            }
        }
        EXPECT_EQ(seen.size(), 50u);
    }
    // Epochs are shuffled differently; a second object replays the same plan from any step.
    TrainingData replay(*task, task_config(DatasetMode::kFixed), 7, 4);
    EXPECT_EQ(replay.examples(17), data.examples(17));
    bool some_order_differs = false;
    for (int64_t i = 0; i < 15; ++i) {
        some_order_differs |= data.examples(i) != data.examples(15 + i);
    }
    EXPECT_TRUE(some_order_differs);
}

TEST(TrainingData, FixedModeValidationIsHeldOut) {
    // Lengths 7-9 of parity: 128 + 256 + 512 strings, so a held-out split exists.
    const auto task = tasks::make_task("parity");
    TaskRunConfig c;
    c.spec = "parity";
    c.train_lengths = {7, 9};
    c.dataset = DatasetMode::kFixed;
    c.train_examples = 300;
    c.validation_examples = 60;
    TrainingData data(*task, c, 1, 32);
    ASSERT_FALSE(data.validation().empty());
    for (const tasks::Example& e : data.validation()) {
        EXPECT_FALSE(data.is_training_input(e.tokens));
    }
    // Fresh mode has no fixed training inputs.
    c.dataset = DatasetMode::kFresh;
    TrainingData fresh(*task, c, 1, 32);
    EXPECT_FALSE(fresh.is_training_input(fresh.examples(0)[0].tokens));
    EXPECT_EQ(fresh.validation().size(), 60u);
}

TEST(Batch, TensorsHoldTokensAndMaskedTargets) {
    tasks::Example a{{1, 0, 1}, {-1, -1, 0}, {0, 0, 1}};
    tasks::Example b{{0, 1}, {1, 0}, {1, 1}};
    const Batch batch = make_batch(std::vector<tasks::Example>{a, b});
    EXPECT_EQ(batch.length, 3);
    EXPECT_EQ(batch.scored, 3);
    const torch::Tensor tokens = torch::tensor({1, 0, 1, 0, 1, 0}, torch::kLong);
    EXPECT_EQ(batch.tokens[1][2].item<int64_t>(), kPadToken);
    const torch::Tensor targets = torch::tensor({-1, -1, 0, 1, 0, -1}, torch::kLong);
    EXPECT_TRUE(torch::equal(batch.tokens, tokens.view({2, 3})));
    EXPECT_TRUE(torch::equal(batch.targets, targets.view({2, 3})));
    EXPECT_THROW(make_batch(std::vector<tasks::Example>{}), std::invalid_argument);
    tasks::Example bad{{1}, {0, 0}, {1}};
    EXPECT_THROW(make_batch(std::vector<tasks::Example>{bad}), std::invalid_argument);
}

}  // namespace
}  // namespace statetrack::harness
